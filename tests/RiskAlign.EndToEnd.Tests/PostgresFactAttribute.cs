namespace RiskAlign.EndToEnd.Tests;

/// <summary>A fact that needs the PostgreSQL server named by <c>RISKALIGN_TEST_POSTGRES</c> (.ci/postgres.sh starts
/// one and prints it); reported as skipped, not passed, when the variable is not set.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "RISKALIGN_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString)) Skip = $"{Variable} not set (.ci/postgres.sh starts a server and prints it)";
    }

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s : null;
}
