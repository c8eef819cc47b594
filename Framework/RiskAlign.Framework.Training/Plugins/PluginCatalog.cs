using System.Text.Json;
using McMaster.NETCore.Plugins;

namespace RiskAlign.Framework.Plugins;

/// <summary>
/// The losses, risk measures and uncertainty sets this process can use: loaded from the assemblies that
/// plugins.json lists, each in its own load context with the contracts and TorchSharp shared with the host.
/// Read-only once loaded, so trials on many threads may share it.
/// </summary>
public sealed class PluginCatalog
{
    /// <summary>Where the catalog is looked for when none is named, relative to the repository root.</summary>
    public const string DefaultRelativePath = "plugins-config/plugins.json";

    private readonly Dictionary<(PluginFamily, string), IPlugin> _byName;

    private PluginCatalog(string configPath, IEnumerable<(IPlugin Plugin, string Origin)> plugins)
    {
        ConfigPath = configPath;
        _byName = [];
        var origins = new Dictionary<(PluginFamily, string), string>();
        foreach (var (plugin, origin) in plugins)
        {
            foreach (var family in PluginFamilies.Of(plugin))
            {
                var key = (family, plugin.Name);
                if (origins.TryGetValue(key, out var first))
                    throw new PluginCatalogException($"{configPath}: two {family.Describe()} plugins are named '{plugin.Name}': {first} and {origin}; plugin names must be unique.");
                origins[key] = origin;
                _byName[key] = plugin;
            }
        }
        Losses = [.. _byName.Values.OfType<IPreferenceLoss>().Distinct().OrderBy(p => p.Name, StringComparer.Ordinal)];
        RiskMeasures = [.. _byName.Values.OfType<IRiskMeasure>().Distinct().OrderBy(p => p.Name, StringComparer.Ordinal)];
        UncertaintySets = [.. _byName.Values.OfType<IUncertaintySet>().Distinct().OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    /// <summary>The plugins.json this catalog came from.</summary>
    public string ConfigPath { get; }

    public IReadOnlyList<IPreferenceLoss> Losses { get; }
    public IReadOnlyList<IRiskMeasure> RiskMeasures { get; }
    public IReadOnlyList<IUncertaintySet> UncertaintySets { get; }

    public IPreferenceLoss? FindLoss(string name) => Find(PluginFamily.Loss, name) as IPreferenceLoss;
    public IRiskMeasure? FindRiskMeasure(string name) => Find(PluginFamily.RiskMeasure, name) as IRiskMeasure;
    public IUncertaintySet? FindUncertaintySet(string name) => Find(PluginFamily.UncertaintySet, name) as IUncertaintySet;

    /// <summary>A plugin of one family by name, or null.</summary>
    public IPlugin? Find(PluginFamily family, string name) => _byName.GetValueOrDefault((family, name));

    /// <summary>Names of one family, for "known: ..." messages.</summary>
    public IReadOnlyList<string> Names(PluginFamily family) =>
        [.. _byName.Keys.Where(k => k.Item1 == family).Select(k => k.Item2).Order(StringComparer.Ordinal)];

    /// <summary>A catalog of given instances (tests, embedding).</summary>
    public static PluginCatalog FromPlugins(IEnumerable<IPlugin> plugins, string configPath = "(in memory)") =>
        new(configPath, plugins.Select(p => (p, p.GetType().FullName ?? p.Name)));

    /// <summary>Finds plugins-config/plugins.json upward from the working directory (then from the application folder) and loads it.</summary>
    public static PluginCatalog LoadDefault()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, DefaultRelativePath);
                if (File.Exists(candidate)) return Load(candidate);
            }
        throw new PluginCatalogException($"No {DefaultRelativePath} found above '{Directory.GetCurrentDirectory()}': run from the repository, or pass --plugins FILE.");
    }

    /// <summary>Loads every assembly plugins.json lists: <c>{"plugins": [{"path": "relative/or/absolute.dll"}, ...]}</c>,
    /// paths relative to the json file.</summary>
    public static PluginCatalog Load(string configPath)
    {
        configPath = Path.GetFullPath(configPath);
        if (!File.Exists(configPath)) throw new PluginCatalogException($"Plugin catalog '{configPath}' does not exist.");
        var entries = ReadEntries(configPath);
        var plugins = new List<(IPlugin, string)>();
        for (int i = 0; i < entries.Count; i++)
        {
            var where = $"{configPath}: plugins[{i}]";
            var assemblyPath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(configPath)!, entries[i]));
            if (!File.Exists(assemblyPath))
                throw new PluginCatalogException($"{where}.path: '{assemblyPath}' does not exist; build the plugins first (dotnet build Framework.sln).");
            var found = LoadAssembly(assemblyPath, where);
            if (found.Count == 0)
                throw new PluginCatalogException($"{where}.path: '{assemblyPath}' has no public class implementing IPreferenceLoss, IRiskMeasure or IUncertaintySet with a parameterless constructor.");
            plugins.AddRange(found.Select(p => (p, $"{Path.GetFileName(assemblyPath)} (plugins[{i}])")));
        }
        return new PluginCatalog(configPath, plugins);
    }

    /// <summary>The plugin instances of a trial with their parameter values (schema defaults filled in).</summary>
    public TrialPlugins Resolve(TrialDefinition trial)
    {
        var loss = FindLoss(trial.Loss.Name) ?? throw Unknown(PluginFamily.Loss, trial.Loss.Name);
        var set = FindUncertaintySet(trial.UncertaintySet.Name) ?? throw Unknown(PluginFamily.UncertaintySet, trial.UncertaintySet.Name);
        BoundRiskMeasure? risk = null;
        if (trial.Risk is { } riskChoice)
        {
            var measure = FindRiskMeasure(riskChoice.Name) ?? throw Unknown(PluginFamily.RiskMeasure, riskChoice.Name);
            risk = new BoundRiskMeasure(measure, PluginParameters.WithDefaults(measure.Parameters, riskChoice.Values));
        }
        return new TrialPlugins(
            loss, PluginParameters.WithDefaults(loss.Parameters, trial.Loss.Values),
            risk,
            set, PluginParameters.WithDefaults(set.Parameters, trial.UncertaintySet.Values));
    }

    private PluginCatalogException Unknown(PluginFamily family, string name) =>
        new($"Unknown {family.Describe()} '{name}' in {ConfigPath}; known: {string.Join(", ", Names(family))}.");

    private static List<string> ReadEntries(string configPath)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(configPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("plugins", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new PluginCatalogException($"{configPath}: expected an object with a \"plugins\" array, like {{\"plugins\": [{{\"path\": \"../artifacts/plugins/X/X.dll\"}}]}}.");
            var paths = new List<string>();
            int i = 0;
            foreach (var entry in list.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("path", out var path) || path.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(path.GetString()))
                    throw new PluginCatalogException($"{configPath}: plugins[{i}]: expected an object with a non-empty string \"path\".");
                foreach (var property in entry.EnumerateObject())
                    if (property.Name != "path")
                        throw new PluginCatalogException($"{configPath}: plugins[{i}].{property.Name}: unknown field; an entry has only \"path\".");
                paths.Add(path.GetString()!);
                i++;
            }
            return paths;
        }
        catch (JsonException e)
        {
            throw new PluginCatalogException($"{configPath}: malformed JSON at line {(e.LineNumber ?? 0) + 1}: {e.Message}", e);
        }
    }

    private static bool IsPluginType(Type type) =>
        typeof(IPreferenceLoss).IsAssignableFrom(type) || typeof(IRiskMeasure).IsAssignableFrom(type) || typeof(IUncertaintySet).IsAssignableFrom(type);

    private static List<IPlugin> LoadAssembly(string assemblyPath, string where)
    {
        // The contracts and TorchSharp come from the host so that plugin types implement the host's interfaces
        // and pass tensors the host's libtorch made.
        var loader = PluginLoader.CreateFromAssemblyFile(assemblyPath, [typeof(IPlugin), typeof(torch)], config => config.PreferSharedTypes = true);
        Type[] types;
        try
        {
            types = loader.LoadDefaultAssembly().GetExportedTypes();
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or TypeLoadException or System.Reflection.ReflectionTypeLoadException)
        {
            throw new PluginCatalogException($"{where}.path: '{assemblyPath}' could not be loaded as a .NET plugin assembly: {e.Message}", e);
        }
        var plugins = new List<IPlugin>();
        foreach (var type in types.Where(t => t is { IsClass: true, IsAbstract: false } && IsPluginType(t) && t.GetConstructor(Type.EmptyTypes) is not null))
        {
            try
            {
                plugins.Add((IPlugin)Activator.CreateInstance(type)!);
            }
            catch (System.Reflection.TargetInvocationException e)
            {
                throw new PluginCatalogException($"{where}: plugin type {type.FullName} failed to construct: {e.InnerException?.Message ?? e.Message}", e);
            }
        }
        return plugins;
    }
}
