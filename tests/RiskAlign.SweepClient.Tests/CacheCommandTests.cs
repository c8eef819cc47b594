namespace RiskAlign.SweepClient.Tests;

/// <summary><c>cache list</c> and <c>cache prune</c> as a user runs them, on a cache folder holding one entry as a silo
/// writes it (its manifest names the task; its modification time is its last use).</summary>
[Collection("Console")]
public sealed class CacheCommandTests
{
    private static string Entry(TempFolder folder, DateTime lastUsedUtc)
    {
        var key = new string('e', 64);
        var manifest = folder.File($"cache/{key}/manifest.json",
            $$"""{"FormatVersion":1,"Key":"{{key}}","Files":[],"Task":"emotion-shift","Settings":"{}","CreatedUtc":"2026-11-01T10:00:00Z"}""");
        File.SetLastWriteTimeUtc(manifest, lastUsedUtc);
        return Path.Combine(folder.Path, "cache");
    }

    [Fact]
    public async Task List_names_each_entry_and_prune_deletes_those_unused_for_the_given_days()
    {
        using var folder = new TempFolder();
        var cache = Entry(folder, DateTime.UtcNow.AddDays(-3));

        var (exit, stdout, error) = await CliInvocation.InvokeAsync("cache", "list", "--cache", cache);
        Assert.True(exit == 0, error);
        Assert.Contains("eeeeeeeeeeee", stdout);
        Assert.Contains("emotion-shift", stdout);
        Assert.Contains("2026-11-01 10:00", stdout);
        Assert.Contains("1 entry,", stdout);

        (exit, stdout, error) = await CliInvocation.InvokeAsync("cache", "prune", "--unused-days", "5", "--cache", cache);
        Assert.True(exit == 0, error);
        Assert.Contains("Deleted 0 entries", stdout);
        (exit, stdout, error) = await CliInvocation.InvokeAsync("cache", "prune", "--unused-days", "2", "--dry-run", "--cache", cache);
        Assert.True(exit == 0, error);
        Assert.Contains("would delete eeeeeeeeeeee (emotion-shift", stdout);
        Assert.Single(Directory.GetDirectories(cache));
        (exit, stdout, error) = await CliInvocation.InvokeAsync("cache", "prune", "--unused-days", "2", "--cache", cache);
        Assert.True(exit == 0, error);
        Assert.Contains("Deleted 1 entry", stdout);
        Assert.Empty(Directory.GetDirectories(cache));
    }

    [Fact]
    public async Task A_negative_number_of_days_is_refused_naming_the_option()
    {
        var (exit, _, error) = await CliInvocation.InvokeAsync("cache", "prune", "--unused-days", "-1");
        Assert.Equal(2, exit);
        Assert.Contains("--unused-days: expected a number of days >= 0, got -1", error);
    }
}
