package io.github.ipcatlas.comparison.cli;

import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.github.ipcatlas.core.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ipc-atlas demo [NAME]}: lists the examples, or runs one. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "List the examples of the original write-up, or run the one named.")
public final class DemoCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "NAME", description = "the demo to run; without it, the list")
    String name;

    @picocli.CommandLine.Option(names = "--seed", description = "with the list: show under each demo the Python "
            + "snippet of the original write-up it mirrors")
    boolean withSeed;

    @Override
    public Integer call() throws Exception {
        List<Demo> demos = demos();
        if (name == null) {
            int width = demos.stream().mapToInt(d -> d.name().length()).max().orElse(0);
            for (Demo demo : demos) {
                System.out.printf("%-" + width + "s  %s%n", demo.name(), demo.summary());
                if (withSeed && !demo.seed().isBlank()) {
                    demo.seed().strip().lines().forEach(line -> System.out.println(line.isEmpty() ? "" : "        " + line));
                    System.out.println();
                }
            }
            return 0;
        }
        Demo demo = demos.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no demo named \"" + name + "\"; known: "
                        + demos.stream().map(Demo::name).collect(Collectors.joining(", "))));
        demo.run(System.out);
        System.out.flush();
        return 0;
    }

    /** Every demo on the class path, by name. */
    public static List<Demo> demos() {
        return ServiceLoader.load(Demo.class).stream().map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(Demo::name)).collect(Collectors.toList());
    }
}
