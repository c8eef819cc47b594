using Npgsql;
using RiskAlign.Silo.Hosting;

namespace RiskAlign.Silo.Tests;

public sealed class AdoNetSchemaCheckTests
{
    private const string Apply = "apply Silo/Sql/orleans-10.4.2-postgresql.sql";

    [PostgresFact]
    public async Task The_CI_database_with_the_schema_script_applied_passes()
    {
        Assert.Null(await AdoNetSchemaCheck.FindProblemAsync(PostgresFactAttribute.ConnectionString!, "Npgsql", CancellationToken.None));
    }

    [PostgresFact]
    public async Task A_database_without_the_schema_is_named_with_what_is_missing()
    {
        var server = new NpgsqlConnectionStringBuilder(PostgresFactAttribute.ConnectionString!);
        var name = $"riskalign_noschema_{Guid.NewGuid():N}";
        await using var admin = new NpgsqlConnection(server.ConnectionString);
        await admin.OpenAsync();
        await Execute(admin, $"CREATE DATABASE {name}");
        try
        {
            var empty = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name, Pooling = false };
            var where = $"PostgreSQL at {server.Host}:{server.Port}/{name}";
            Assert.Equal(
                $"{where}: tables OrleansQuery, OrleansMembershipVersionTable, OrleansMembershipTable, OrleansStorage, OrleansRemindersTable missing; {Apply}",
                await AdoNetSchemaCheck.FindProblemAsync(empty.ConnectionString, "Npgsql", CancellationToken.None));

            // Tables from an older or partial script, with only some of the queries the providers read.
            await using (var db = new NpgsqlConnection(empty.ConnectionString))
            {
                await db.OpenAsync();
                await Execute(db, """
                    CREATE TABLE OrleansQuery (QueryKey varchar(64) PRIMARY KEY, QueryText varchar(8000) NOT NULL);
                    CREATE TABLE OrleansMembershipVersionTable (DeploymentId varchar(150) PRIMARY KEY);
                    CREATE TABLE OrleansMembershipTable (DeploymentId varchar(150));
                    CREATE TABLE OrleansStorage (GrainIdHash integer);
                    CREATE TABLE OrleansRemindersTable (GrainHash integer);
                    """);
                var present = AdoNetSchemaCheck.RequiredQueryKeys.Where(k => k is not ("CleanupDefunctSiloEntriesKey" or "WriteToStorageKey"));
                foreach (var key in present) await Execute(db, $"INSERT INTO OrleansQuery VALUES ('{key}', 'SELECT 1')");
            }
            Assert.Equal(
                $"{where}: OrleansQuery lacks CleanupDefunctSiloEntriesKey, WriteToStorageKey; {Apply}",
                await AdoNetSchemaCheck.FindProblemAsync(empty.ConnectionString, "Npgsql", CancellationToken.None));
        }
        finally
        {
            await Execute(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }

    [Fact]
    public async Task An_unreachable_server_is_one_line_naming_it()
    {
        // Port 1 on the loopback interface: nothing listens there, so the connection is refused at once.
        var problem = await AdoNetSchemaCheck.FindProblemAsync(
            "Host=127.0.0.1;Port=1;Database=riskalign;Username=riskalign;Password=x;Timeout=5", "Npgsql", CancellationToken.None);

        Assert.NotNull(problem);
        Assert.StartsWith("PostgreSQL at 127.0.0.1:1/riskalign: ", problem);
        Assert.DoesNotContain('\n', problem);
        Assert.DoesNotContain("Password", problem, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Other_providers_are_not_checked()
    {
        Assert.Null(await AdoNetSchemaCheck.FindProblemAsync("Server=nowhere;Database=x", "Microsoft.Data.SqlClient", CancellationToken.None));
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
