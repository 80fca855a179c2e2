<#-- THIRD-PARTY.txt of the ipc-atlas command: each library it ships, with its licences (from the library's POM). -->
<#function artifactFormat p>
    <#return p.groupId + ":" + p.artifactId + ":" + p.version + "  " + p.name + "  " + (p.url!"")>
</#function>
The ipc-atlas command (IPC Atlas, Apache License 2.0, see LICENSE) ships these ${dependencyMap?size} libraries, each
unchanged: in the distribution archive as the jar it was published as (lib/; jffi's native library is a second jar,
jffi-VERSION-native.jar, under jffi's licence), in ipc-atlas.jar merged into one jar.

The licence texts are in licenses/ of the archive and META-INF/licenses/ of both jars:
  Apache-2.0.txt                     jnr-ffi, jnr-constants, jnr-a64asm, picocli, agrona, aeron-client,
                                     aeron-driver, aeron-annotations, jackson-core, junixsocket-common, junixsocket-native-common (with junixsocket's JNI library for
                                     each platform inside); jffi (offered under Apache 2.0 or LGPL 3, used under
                                     Apache 2.0)
  LGPL-2.1.txt                       JFreeChart; jnr-posix (offered under EPL 2.0, GPL 2 or LGPL 2.1, used under
                                     LGPL 2.1). Each is its own jar in lib/, replaceable by a user's build of it.
  ASM-BSD-3-Clause.txt               asm, asm-analysis, asm-commons, asm-tree, asm-util
  jnr-x86asm-MIT.txt                 jnr-x86asm
  HdrHistogram-BSD-2-Clause-CC0.txt  HdrHistogram (public domain, or BSD 2-clause for those who need a licence)
jackson-core carries copies of FastDoubleParser and Schubfach (MIT); their licences and Jackson's NOTICE are in
META-INF/ of its jar and of ipc-atlas.jar (FastDoubleParser-LICENSE, FastDoubleParser-ThirdParty-LICENSE,
Schubfach-LICENSE, NOTICE).


<#list dependencyMap as e>
<#assign project = e.getKey()/>
<#assign licenses = e.getValue()/>
${artifactFormat(project)}
<#list licenses as license>
    licence: ${license}
</#list>
</#list>
