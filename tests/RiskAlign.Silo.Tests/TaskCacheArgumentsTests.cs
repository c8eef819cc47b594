using RiskAlign.Silo.Trials;

namespace RiskAlign.Silo.Tests;

/// <summary>The standalone silo's <c>--cache DIR</c> / <c>--no-cache</c> flags become the task-cache configuration key.</summary>
public sealed class TaskCacheArgumentsTests
{
    private const string Key = "--RiskAlign:Plugins:TaskCache=";

    [Fact]
    public void Without_flags_the_silo_caches_under_runs_unless_the_environment_chose()
    {
        var args = TaskCacheArguments.Rewrite(["--RiskAlign:Cluster:SiloPort", "11111"]);
        string[] expected = Environment.GetEnvironmentVariable("RiskAlign__Plugins__TaskCache") is null
            ? ["--RiskAlign:Cluster:SiloPort", "11111", Key + Path.GetFullPath("runs/task-cache")]
            : ["--RiskAlign:Cluster:SiloPort", "11111"];
        Assert.Equal(expected, args);
    }

    [Fact]
    public void Cache_names_the_folder_and_no_cache_turns_it_off()
    {
        string[] cache = [Key + Path.GetFullPath("/shared/cache")], off = [Key];
        Assert.Equal(cache, TaskCacheArguments.Rewrite(["--cache", "/shared/cache"]));
        Assert.Equal(off, TaskCacheArguments.Rewrite(["--no-cache"]));
    }

    [Fact]
    public void The_configuration_key_given_directly_is_kept()
    {
        string[] given = ["--RiskAlign:Plugins:TaskCache", "/elsewhere"];
        Assert.Equal(given, TaskCacheArguments.Rewrite(given));
    }
}
