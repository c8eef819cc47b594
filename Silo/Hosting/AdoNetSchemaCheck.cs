using System.Net.Sockets;
using Npgsql;

namespace RiskAlign.Silo.Hosting;

/// <summary>
/// Checks, before Orleans starts, that the ADO.NET cluster database is reachable and holds Orleans' schema, so a
/// missing database or script shows as one line instead of a provider stack trace during silo start-up.
/// </summary>
public static class AdoNetSchemaCheck
{
    /// <summary>The script, relative to the repository root, that creates what this check looks for.</summary>
    public const string SchemaScript = "Silo/Sql/orleans-10.4.2-postgresql.sql";

    /// <summary>Tables that the clustering and grain storage queries read and write.</summary>
    public static readonly IReadOnlyList<string> RequiredTables =
        ["OrleansQuery", "OrleansMembershipVersionTable", "OrleansMembershipTable", "OrleansStorage", "OrleansRemindersTable"];

    /// <summary>
    /// OrleansQuery keys that Orleans 10.4.2's ADO.NET clustering, persistence and reminders providers read at initialization.
    /// CleanupDefunctSiloEntryKey is not among them: 10.4.2 uses it when present and falls back to
    /// CleanupDefunctSiloEntriesKey otherwise.
    /// </summary>
    public static readonly IReadOnlyList<string> RequiredQueryKeys =
    [
        // Microsoft.Orleans.Clustering.AdoNet
        "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipVersionKey",
        "UpdateIAmAlivetimeKey", "InsertMembershipKey", "UpdateMembershipKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey",
        // Microsoft.Orleans.Persistence.AdoNet
        "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
        // Microsoft.Orleans.Reminders.AdoNet
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    /// <summary>
    /// Null when the database behind <paramref name="connectionString"/> can serve the providers, else one line
    /// naming the database and what is wrong (connection error, missing table, missing queries). Only PostgreSQL
    /// (invariant <c>Npgsql</c>) is checked; other invariants pass unchecked.
    /// </summary>
    public static async Task<string?> FindProblemAsync(string connectionString, string invariant, CancellationToken cancellationToken)
    {
        if (!string.Equals(invariant, "Npgsql", StringComparison.OrdinalIgnoreCase)) return null;

        NpgsqlConnectionStringBuilder settings;
        try { settings = new NpgsqlConnectionStringBuilder(connectionString); }
        catch (ArgumentException e) { return $"PostgreSQL: invalid connection string ({e.Message})"; }
        var where = $"PostgreSQL at {settings.Host}:{settings.Port}/{settings.Database}";

        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);

            var missingTables = new List<string>();
            foreach (var table in RequiredTables)
            {
                await using var exists = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection);
                exists.Parameters.AddWithValue("name", table.ToLowerInvariant());
                if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!) missingTables.Add(table);
            }
            if (missingTables.Count > 0)
                return $"{where}: {(missingTables.Count == 1 ? "table" : "tables")} {string.Join(", ", missingTables)} missing; apply {SchemaScript}";

            var present = new HashSet<string>(StringComparer.Ordinal);
            await using (var keys = new NpgsqlCommand("SELECT QueryKey FROM OrleansQuery", connection))
            await using (var reader = await keys.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken)) present.Add(reader.GetString(0));
            }
            var missingKeys = RequiredQueryKeys.Where(k => !present.Contains(k)).ToList();
            return missingKeys.Count == 0
                ? null
                : $"{where}: OrleansQuery lacks {string.Join(", ", missingKeys)}; apply {SchemaScript}";
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException or InvalidOperationException)
        {
            return $"{where}: {Describe(e)}";
        }
    }

    // The provider's message, plus the socket's when it only says "failed to connect".
    private static string Describe(Exception e)
    {
        var message = e.Message.ReplaceLineEndings(" ").Trim();
        if (e is not PostgresException && e.InnerException is { } inner && !message.Contains(inner.Message, StringComparison.Ordinal))
            message += $" ({inner.Message.ReplaceLineEndings(" ").Trim()})";
        return message;
    }
}
