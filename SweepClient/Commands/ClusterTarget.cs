using RiskAlign.SweepClient.Cluster;

namespace RiskAlign.SweepClient.Commands;

/// <summary>The options that name a running cluster (<c>--gateway</c>, <c>--adonet</c>, <c>--connect-timeout</c>),
/// shared by launch, status, watch, cancel, results, list and resume.</summary>
internal sealed class ClusterTarget
{
    private readonly Option<int?> _gateway = CommonOptions.Gateway();
    private readonly Option<string?> _adoNet = CommonOptions.AdoNet();
    private readonly Option<double> _timeout = CommonOptions.ConnectTimeout();

    public void AddTo(Command command)
    {
        command.Options.Add(_gateway);
        command.Options.Add(_adoNet);
        command.Options.Add(_timeout);
    }

    /// <summary>Whether the command line names a cluster (<c>--gateway</c> or <c>--adonet</c>).</summary>
    public bool IsNamed(ParseResult parse) => parse.GetValue(_gateway) is not null || parse.GetValue(_adoNet) is not null;

    /// <exception cref="ClusterUnreachableException">Nothing answered within the timeout.</exception>
    public Task<ClusterConnection> ConnectAsync(ParseResult parse, CancellationToken cancellationToken) =>
        RemoteCluster.ConnectAsync(parse.GetValue(_gateway), parse.GetValue(_adoNet), "Npgsql", cancellationToken,
            TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(_timeout))));

    /// <summary>Wraps a command's work: user errors become one line and their exit code.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception e) when (UserErrors.IsUserError(e))
        {
            return UserErrors.Report(e);
        }
    }
}
