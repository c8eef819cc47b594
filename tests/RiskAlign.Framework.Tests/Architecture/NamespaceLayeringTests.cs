using System.Text.RegularExpressions;

namespace RiskAlign.Framework.Tests.Architecture;

/// <summary>
/// The assemblies' project references forbid cycles between layers; this keeps the namespaces inside them acyclic too.
/// A file's dependencies are its <c>using RiskAlign.*</c> directives plus its enclosing namespaces (a file may use its
/// parents' types without a directive), read from the sources of the production projects.
/// </summary>
public sealed partial class NamespaceLayeringTests
{
    private static readonly string[] ProductionFolders = ["Framework", "Plugins", "Silo", "SweepClient"];

    [Fact]
    public void No_two_RiskAlign_namespaces_depend_on_each_other_even_indirectly()
    {
        var graph = DependencyGraph();
        Assert.True(graph.Count > 20, $"only {graph.Count} namespaces found: are the sources where the test looks?");
        var cycles = StronglyConnected(graph).Where(c => c.Count > 1).Select(c => string.Join(" <-> ", c.Order())).ToList();
        Assert.True(cycles.Count == 0, "namespace cycles: " + string.Join("; ", cycles));
    }

    [Fact]
    public void Models_do_not_reach_up_into_training_or_sweeps()
    {
        var graph = DependencyGraph();
        var models = graph.Where(kv => kv.Key.StartsWith("RiskAlign.Framework.Models", StringComparison.Ordinal)
                                    || kv.Key.StartsWith("RiskAlign.Framework.Generation", StringComparison.Ordinal)
                                    || kv.Key.StartsWith("RiskAlign.Framework.Tokenizers", StringComparison.Ordinal));
        var upward = models.SelectMany(kv => kv.Value.Where(d => d.StartsWith("RiskAlign.Framework.", StringComparison.Ordinal)
                && !d.StartsWith("RiskAlign.Framework.Models", StringComparison.Ordinal)
                && d is not ("RiskAlign.Framework.Generation" or "RiskAlign.Framework.Tokenizers"))
            .Select(d => $"{kv.Key} -> {d}")).ToList();
        Assert.Empty(upward);
    }

    private static Dictionary<string, HashSet<string>> DependencyGraph()
    {
        var root = RepositoryRoot();
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var folder in ProductionFolders)
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")) continue;
            var text = File.ReadAllText(file);
            if (NamespaceLine().Match(text) is not { Success: true } declared) continue;
            var ns = declared.Groups[1].Value;
            var edges = graph.TryGetValue(ns, out var known) ? known : graph[ns] = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match used in UsingLine().Matches(text))
                if (used.Groups[1].Value != ns) edges.Add(used.Groups[1].Value);
            var parent = ns[..Math.Max(0, ns.LastIndexOf('.'))];
            if (parent.Count(c => c == '.') >= 1) edges.Add(parent);
        }
        return graph;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Framework.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No Framework.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>Tarjan's strongly connected components.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>(); var low = new Dictionary<string, int>();
        var stack = new Stack<string>(); var onStack = new HashSet<string>(); var result = new List<List<string>>();
        int counter = 0;
        void Visit(string v)
        {
            index[v] = low[v] = counter++; stack.Push(v); onStack.Add(v);
            foreach (var w in graph.GetValueOrDefault(v) ?? [])
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); component.Add(x); } while (x != v);
            result.Add(component);
        }
        foreach (var v in graph.Keys.ToList()) if (!index.ContainsKey(v)) Visit(v);
        return result;
    }

    [GeneratedRegex(@"^namespace ([\w\.]+);", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using (?:static )?(RiskAlign[\w\.]*);", RegexOptions.Multiline)]
    private static partial Regex UsingLine();
}
