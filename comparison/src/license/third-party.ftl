<#-- THIRD-PARTY.txt of the ipc-atlas command: each library it ships, with its licences (from the library's POM). -->
<#function artifactFormat p>
    <#return p.groupId + ":" + p.artifactId + ":" + p.version + "  " + p.name + "  " + (p.url!"")>
</#function>
The ipc-atlas command (IPC Atlas, Apache License 2.0, see LICENSE) ships these ${dependencyMap?size} libraries, each
unchanged: in the distribution archive as the jar it was published as (lib/), in ipc-atlas.jar merged into one jar.
A library offered under several licences is used under any one of them; each jar carries its licence texts.

<#list dependencyMap as e>
<#assign project = e.getKey()/>
<#assign licenses = e.getValue()/>
${artifactFormat(project)}
<#list licenses as license>
    licence: ${license}
</#list>
</#list>
