using Microsoft.Extensions.Hosting;
using RiskAlign.Framework.Plugins;
using RiskAlign.Silo.Trials;

namespace RiskAlign.SweepClient.Tests;

/// <summary>
/// The verbs against a cluster found through PostgreSQL (<c>--adonet</c>), as a user with a database-backed cluster runs
/// them: a silo configured as Silo/Program.cs configures one for a connection string (ADO.NET membership, storage and
/// reminders, in a scratch database), training the synthetic task.
/// </summary>
[Collection("Console")]
public sealed class PostgresVerbTests
{
    private static string Spec(TempFolder folder) => SmallSyntheticSpec.Write(folder, "pg", maxConcurrent: 1, [0.1, 0.3], steps: 200);

    [PostgresFact]
    public async Task Launch_status_list_cancel_and_resume_work_through_the_database_and_the_sweep_is_stored_there()
    {
        await using var database = await ScratchDatabase.CreateAsync();
        using var silo = AdoNetSilo(database.ConnectionString);
        await silo.StartAsync();
        try
        {
            using var folder = new TempFolder();
            Task<(int Exit, string Out, string Error)> Cli(params string[] args) =>
                CliInvocation.InvokeAsync([.. args, "--adonet", database.ConnectionString, "--connect-timeout", "30"]);

            var (exit, stdout, error) = await Cli("launch", Spec(folder));
            Assert.True(exit == 0, error);
            var id = stdout.Trim();
            // At once: the first trial is building its task or training, the second has not started.
            (exit, stdout, error) = await Cli("cancel", id, "--wait", "60");
            Assert.True(exit == 0, error);
            var (kept, stopped) = CliInvocation.CancelCounts(stdout);
            Assert.Equal(2, kept + stopped);
            Assert.True(stopped >= 1, stdout);

            (exit, stdout, error) = await Cli("status", id);
            Assert.True(exit == 0, error);
            Assert.Contains("Cancelled", stdout);
            (exit, stdout, error) = await Cli("list");
            Assert.True(exit == 0, error);
            Assert.Contains(id, stdout);
            Assert.True(await database.CountAsync("OrleansStorage") > 0, "nothing was stored in the database");

            var output = Path.Combine(folder.Path, "resumed");
            (exit, stdout, error) = await Cli("resume", id, "--out", output);
            Assert.True(exit == 0, error);
            ResumedCancelledSweep.AssertFinished(stdout, output, kept, stopped);
        }
        finally
        {
            await silo.StopAsync(TimeSpan.FromSeconds(10));
        }
    }

    private static IHost AdoNetSilo(string connectionString) => AdoNetSiloHost.Build(connectionString,
        new Dictionary<string, string?> { [$"{PluginOptions.Section}:{nameof(PluginOptions.ConfigPath)}"] = PluginCatalog.LoadDefault().ConfigPath });
}
