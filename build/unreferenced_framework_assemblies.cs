// dotnet run build/unreferenced_framework_assemblies.cs -- APP_DIR [APP_DIR ...] -- FRAMEWORK_DIR [FRAMEWORK_DIR ...]
// Prints, one path a line, the managed assemblies of the shared-framework folders that nothing can load by reference:
// the closure of assembly references from every assembly in the app folders (and System.Private.CoreLib, which the
// runtime loads itself) through the frameworks. build/bundle.sh leaves those out of the bundle's runtime. An assembly
// loaded only by name through reflection would be missed; the bundle's smoke runs (benchmarks/gpu-check.sh) cover the
// apps' paths.
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

int split = Array.IndexOf(args, "--");
if (split < 1 || split == args.Length - 1)
{
    Console.Error.WriteLine("usage: unreferenced_framework_assemblies.cs APP_DIR... -- FRAMEWORK_DIR...");
    return 2;
}
var framework = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
foreach (var dir in args[(split + 1)..])
    foreach (var file in Directory.GetFiles(dir, "*.dll"))
        if (AssemblyName(file) is { } name) framework[name] = file;

var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
var queue = new Queue<string>();
foreach (var dir in args[..split])
    foreach (var file in Directory.GetFiles(dir, "*.dll", SearchOption.AllDirectories))
        queue.Enqueue(file);
if (framework.TryGetValue("System.Private.CoreLib", out var coreLib)) queue.Enqueue(coreLib);
while (queue.Count > 0)
{
    var file = queue.Dequeue();
    foreach (var reference in References(file))
        if (seen.Add(reference) && framework.TryGetValue(reference, out var next)) queue.Enqueue(next);
    if (AssemblyName(file) is { } own) seen.Add(own);
}
foreach (var (name, file) in framework.OrderBy(p => p.Key, StringComparer.Ordinal))
    if (!seen.Contains(name)) Console.WriteLine(file);
return 0;

static string? AssemblyName(string file)
{
    using var pe = new PEReader(File.OpenRead(file));
    if (!pe.HasMetadata) return null;
    var reader = pe.GetMetadataReader();
    return reader.IsAssembly ? reader.GetString(reader.GetAssemblyDefinition().Name) : null;
}

static IEnumerable<string> References(string file)
{
    using var pe = new PEReader(File.OpenRead(file));
    if (!pe.HasMetadata) return [];
    var reader = pe.GetMetadataReader();
    return reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToList();
}
