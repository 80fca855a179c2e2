package io.github.ipcatlas.core.peers;

/** Prints "ready", its arguments one per line, a system property (and IPCATLAS_LAUNCHED if set), then exits with the code given as first argument. */
public final class EchoArgsPeer {
    private EchoArgsPeer() {
    }

    public static void main(String[] args) {
        System.out.println("ready");
        for (String arg : args) {
            System.out.println("arg " + arg);
        }
        System.out.println("property " + System.getProperty("ipcatlas.test.property"));
        if (System.getenv("IPCATLAS_LAUNCHED") != null) {
            System.out.println("env IPCATLAS_LAUNCHED=" + System.getenv("IPCATLAS_LAUNCHED"));
        }
        System.err.println("a line on stderr");
        System.out.flush();
        System.exit(Integer.parseInt(args[0]));
    }
}
