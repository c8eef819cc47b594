namespace RiskAlign.Tests.Shared;

/// <summary>
/// A fact that needs a PostgreSQL database holding Orleans' schema, named by the Npgsql connection string in
/// <c>RISKALIGN_TEST_POSTGRES</c> (.ci/postgres.sh starts one and prints it). Without the variable the test is
/// reported as skipped, not passed; xunit 2.9 has no dynamic skip, so the attribute sets <see cref="FactAttribute.Skip"/>.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "RISKALIGN_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString)) Skip = $"{Variable} not set (.ci/postgres.sh starts a server and prints it)";
    }

    /// <summary>The connection string, or null when the variable is not set.</summary>
    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s : null;
}
