using RiskAlign.SweepClient.Running;

namespace RiskAlign.SweepClient.Commands;

/// <summary><c>launch SPEC</c>: validates the spec and its files, starts the sweep on a running cluster, prints its id and returns.</summary>
internal static class LaunchCommand
{
    public static Command Create()
    {
        var input = new SpecInput();
        var resume = new Option<string?>("--resume") { Description = "Instead of a new sweep, resume this sweep id (same as `resume ID`): finished trials are kept, unfinished and cancelled ones run again from the start" };
        var target = new ClusterTarget();
        var command = new Command("launch", "Validate a sweep spec and its files, start the sweep on a running cluster (--gateway or --adonet), print its id on stdout and return. Exit 0: started; 2: bad spec or file (nothing started); 3: cluster unreachable.")
        {
            resume,
        };
        input.AddTo(command);
        target.AddTo(command);
        command.SetAction((parse, cancellationToken) => ClusterTarget.GuardAsync(async () =>
        {
            var plan = input.Prepare(parse);
            await using var cluster = await target.ConnectAsync(parse, cancellationToken);
            if (parse.GetValue(resume) is { } resumeId)
                return await ResumeCommand.ResumeAsync(cluster, resumeId, plan.Spec.Name, watch: false, cancellationToken);
            await SweepRun.StartAsync(cluster.Client, plan, parse.GetRequiredValue(input.Spec), traceParent: null, cancellationToken);
            Console.Error.WriteLine($"Launched {plan.TrialCount} trials on the {cluster.Description}; follow with `watch {plan.SweepId}`.");
            Console.Out.WriteLine(plan.SweepId);
            return 0;
        }));
        return command;
    }
}
