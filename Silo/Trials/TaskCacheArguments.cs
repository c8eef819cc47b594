namespace RiskAlign.Silo.Trials;

/// <summary>The standalone silo's task-cache flags, as <c>run</c> spells them: <c>--cache DIR</c> and <c>--no-cache</c>
/// become the configuration key <c>RiskAlign:Plugins:TaskCache</c>; without either (and without the key) the silo uses
/// <see cref="PluginOptions.DefaultTaskCache"/>.</summary>
public static class TaskCacheArguments
{
    private const string Key = $"--{PluginOptions.Section}:{nameof(PluginOptions.TaskCache)}";

    /// <summary>The arguments with the flags turned into the configuration key.</summary>
    public static string[] Rewrite(IReadOnlyList<string> args)
    {
        var rewritten = new List<string>();
        bool chosen = false;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--no-cache") { rewritten.Add(Key + "="); chosen = true; }
            else if (args[i] == "--cache" && i + 1 < args.Count) { rewritten.Add(Key + "=" + Path.GetFullPath(args[++i])); chosen = true; }
            else
            {
                if (args[i].StartsWith(Key, StringComparison.OrdinalIgnoreCase)) chosen = true;
                rewritten.Add(args[i]);
            }
        }
        bool inEnvironment = Environment.GetEnvironmentVariable("RiskAlign__Plugins__TaskCache") is not null;
        if (!chosen && !inEnvironment) rewritten.Add(Key + "=" + Path.GetFullPath(PluginOptions.DefaultTaskCache));
        return [.. rewritten];
    }
}
