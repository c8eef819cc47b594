using System.Globalization;

namespace RiskAlign.SweepClient.Commands;

/// <summary><c>list</c>: the sweeps a running cluster knows, with their status.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var target = new ClusterTarget();
        var command = new Command("list", "List the sweeps the cluster knows (launched or run on it), oldest first, with status and trials finished. Exit 0; 3: cluster unreachable.");
        target.AddTo(command);
        command.SetAction((parse, cancellationToken) => ClusterTarget.GuardAsync(async () =>
        {
            await using var cluster = await target.ConnectAsync(parse, cancellationToken);
            var entries = await cluster.Client.GetGrain<ISweepRegistryGrain>(ISweepRegistryGrain.Key).GetAll();
            if (entries.Count == 0) { Console.Out.WriteLine($"No sweeps on the {cluster.Description}."); return 0; }
            var table = new Table().AddColumns("id", "name", "status", "finished", "started (UTC)");
            foreach (var entry in entries)
            {
                var snapshot = await cluster.Client.GetGrain<ISweepGrain>(entry.SweepId).GetSnapshot();
                table.AddRow(Markup.Escape(entry.SweepId), Markup.Escape(entry.Name), snapshot.Status.ToString(),
                    $"{snapshot.Finished}/{Math.Max(snapshot.PlannedTrials, snapshot.Trials.Count)}", entry.StartedUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
