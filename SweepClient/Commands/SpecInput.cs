using RiskAlign.SweepClient.Running;

namespace RiskAlign.SweepClient.Commands;

/// <summary>The spec argument and the options that say how to read it (plugins, assets), shared by <c>validate</c>,
/// <c>launch</c> and <c>run</c>.</summary>
internal sealed class SpecInput
{
    public Argument<FileInfo> Spec { get; } = CommonOptions.Spec();
    public Option<FileInfo?> Plugins { get; } = CommonOptions.Plugins();
    public Option<DirectoryInfo?> Assets { get; } = CommonOptions.Assets();

    public void AddTo(Command command)
    {
        command.Add(Spec);
        command.Add(Plugins);
        command.Add(Assets);
    }

    /// <summary>The spec checked as far as the client can before anything starts (<see cref="SweepPlan.Prepare"/>).</summary>
    public SweepPlan Prepare(ParseResult parse) => SweepPlan.Prepare(parse.GetRequiredValue(Spec), parse.GetValue(Plugins), parse.GetValue(Assets));
}
