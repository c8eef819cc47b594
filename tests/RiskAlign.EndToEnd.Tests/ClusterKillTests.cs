
namespace RiskAlign.EndToEnd.Tests;

/// <summary>
/// Real processes: two <c>Silo</c> processes and a <c>SweepClient run</c> on localhost; one silo is killed with
/// SIGKILL (kill -9) while both run trials. The client must exit 0 and trials.csv must hold every trial once,
/// Completed, with the numbers of an undisturbed run of the same spec (the trainer is deterministic by seed on one
/// machine, with one torch thread). Uses the programs the build produced (Silo/bin, SweepClient/bin); each test is
/// bounded and kills whatever it started, also when it fails.
/// </summary>
public sealed class ClusterKillTests
{
    private const string Spec = """
        {
          "name": "kill",
          "task": { "name": "synthetic", "settings": { "train_pairs": 64, "eval_pairs": 16, "eval_samples": 32, "sft_steps": 60 } },
          "training": { "steps": 160, "batch_size": 8, "learning_rate": 0.002, "eval_every": 80 },
          "seeds": [0, 1],
          "arms": [ { "loss": { "name": "dpo", "params": { "beta": [0.1, 1.0] } }, "uncertainty_set": { "name": "nominal" } } ],
          "max_concurrent_trials": 2
        }
        """;
    private const int TrialCount = 4;
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(5);
    // Columns that differ between runs by nature: the sweep id in each trial id, how long, where, after how many tries.
    private static readonly HashSet<string> RunSpecificColumns = ["id", "attempts", "wall_seconds", "tokens_per_second", "peak_device_memory_bytes", "placement"];

    // Localhost clustering keeps grain state in memory unless the silos share a storage folder: in memory, the state
    // held on the killed silo dies with it. The README's localhost cluster commands give the silos one folder.
    [Fact]
    public Task With_localhost_clustering_killing_the_non_primary_silo_mid_sweep_loses_no_trial() => KillMidSweepAsync(adoNet: null);

    [PostgresFact]
    public async Task With_postgres_killing_a_silo_mid_sweep_loses_no_trial()
    {
        await using var database = await ScratchDatabase.CreateAsync();
        await KillMidSweepAsync(database.ConnectionString);
    }

    private static async Task KillMidSweepAsync(string? adoNet)
    {
        using var folder = new TempFolder();
        var spec = folder.File("kill.json", Spec);
        string undisturbed = Path.Combine(folder.Path, "undisturbed"), killed = Path.Combine(folder.Path, "killed");
        var quiet = new Dictionary<string, string> { ["RiskAlign__Devices__TorchThreads"] = "1" };

        using (var reference = ChildProcess.Start("undisturbed run", SweepClientDll,
                   ["run", spec, "--out", undisturbed, "--cpu-slots", "1", "--torch-threads", "1"], RepositoryRoot, quiet))
            Assert.True(await reference.WaitForExitAsync(Bound) == 0, $"the undisturbed run failed:\n{reference.Output}");

        int siloA = FreePorts.Next(), gatewayA = FreePorts.Next(), siloB = FreePorts.Next(), gatewayB = FreePorts.Next();
        Dictionary<string, string> Silo(int siloPort, int gatewayPort, int? primary)
        {
            var settings = new Dictionary<string, string>(quiet)
            {
                ["RiskAlign__Cluster__SiloPort"] = siloPort.ToString(),
                ["RiskAlign__Cluster__GatewayPort"] = gatewayPort.ToString(),
                ["RiskAlign__Devices__CpuSlots"] = "1",
            };
            if (adoNet is not null) settings["RiskAlign__Cluster__AdoNetConnectionString"] = adoNet;
            else settings["RiskAlign__Cluster__StorageFolder"] = Path.Combine(folder.Path, "cluster-state");
            if (primary is { } p) settings["RiskAlign__Cluster__PrimarySiloPort"] = p.ToString();
            return settings;
        }
        using var first = ChildProcess.Start("silo A", SiloDll, [], RepositoryRoot, Silo(siloA, gatewayA, primary: null));
        Assert.True(await first.WaitForOutputAsync(l => l.Contains("Application started"), TimeSpan.FromSeconds(90)), $"silo A did not start:\n{first.Output}");
        // Localhost clustering keeps membership on the primary (A), so B is the one that may die.
        using var second = ChildProcess.Start("silo B", SiloDll, [], RepositoryRoot, Silo(siloB, gatewayB, primary: adoNet is null ? siloA : null));
        Assert.True(await second.WaitForOutputAsync(l => l.Contains("Application started"), TimeSpan.FromSeconds(90)), $"silo B did not start:\n{second.Output}");

        string[] target = adoNet is null ? ["--gateway", gatewayA.ToString()] : ["--adonet", adoNet];
        using var client = ChildProcess.Start("client", SweepClientDll, ["run", spec, "--out", killed, .. target], RepositoryRoot, quiet);
        // Both silos offer one CPU slot each and the slot board grants each slot once, so two trials running at once
        // means one of them runs on B (building its task or training).
        bool bothRunning = await client.WaitForOutputAsync(
            l => l.Contains("running: ") && l[(l.IndexOf("running: ", StringComparison.Ordinal) + 9)..].Split(", ").Count(t => t.Contains('/')) >= 2,
            Bound);
        Assert.True(bothRunning, $"two trials never ran at once:\n{client.Output}\n--- silo B:\n{Tail(second.Output)}");
        second.Kill();

        var exit = await client.WaitForExitAsync(Bound);
        Assert.True(exit == 0, $"client exit {exit?.ToString() ?? "none (still running)"}:\n{client.Output}\n--- silo A:\n{Tail(first.Output)}");
        AssertSameTrials(Path.Combine(undisturbed, "trials.csv"), Path.Combine(killed, "trials.csv"));
    }

    private static void AssertSameTrials(string expectedPath, string actualPath)
    {
        var expected = Csv(expectedPath);
        var actual = Csv(actualPath);
        Assert.Equal(expected[0], actual[0]);
        Assert.Equal(TrialCount, actual.Count - 1);
        var header = actual[0];
        int status = header.IndexOf("status"), index = header.IndexOf("index");
        Assert.Equal(Enumerable.Range(0, TrialCount).Select(i => i.ToString()), actual.Skip(1).Select(r => r[index])); // every trial once
        Assert.All(actual.Skip(1), row => Assert.Equal("Completed", row[status]));
        var compared = Enumerable.Range(0, header.Count).Where(c => !RunSpecificColumns.Contains(header[c])).ToList();
        for (int r = 1; r < actual.Count; r++)
            foreach (int c in compared)
                Assert.True(expected[r][c] == actual[r][c], $"trial {r - 1}, {header[c]}: {expected[r][c]} undisturbed, {actual[r][c]} after the kill");
    }

    /// <summary>RFC 4180 rows (quoted fields may hold commas and doubled quotes).</summary>
    private static List<List<string>> Csv(string path)
    {
        var rows = new List<List<string>>();
        foreach (var line in File.ReadAllLines(path).Where(l => l.Length > 0))
        {
            var fields = new List<string>();
            var field = new System.Text.StringBuilder();
            bool quoted = false;
            for (int i = 0; i < line.Length; i++)
            {
                char ch = line[i];
                if (quoted && ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = !quoted;
                else if (ch == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
                else field.Append(ch);
            }
            fields.Add(field.ToString());
            rows.Add(fields);
        }
        return rows;
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    private static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Framework.sln"))) return folder.FullName;
        throw new DirectoryNotFoundException($"Framework.sln not found above {AppContext.BaseDirectory}");
    }

    // The same configuration (Debug/Release) as this test assembly: bin/<configuration>/<framework>/.
    private static string Program(string project, string assembly)
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(RepositoryRoot, project, "bin", framework.Parent!.Name, framework.Name, assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} not built (dotnet build Framework.sln)");
    }

    private static string SiloDll => Program("Silo", "RiskAlign.Silo.dll");
    private static string SweepClientDll => Program("SweepClient", "RiskAlign.SweepClient.dll");
}
