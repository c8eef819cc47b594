using Npgsql;
using RiskAlign.Silo.Hosting;

namespace RiskAlign.Tests.Shared;

/// <summary>
/// A fresh PostgreSQL database on the server of <see cref="PostgresFactAttribute.ConnectionString"/>, with the
/// project's schema script applied, dropped on dispose: a test cluster in it shares no membership, storage or
/// reminders with any other test, whichever runs at the same time.
/// </summary>
internal sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string _server;
    private readonly string _name;

    private ScratchDatabase(string server, string name, string connectionString)
    {
        _server = server;
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<ScratchDatabase> CreateAsync()
    {
        var server = PostgresFactAttribute.ConnectionString ?? throw new InvalidOperationException($"{PostgresFactAttribute.Variable} not set");
        var name = $"riskalign_test_{Guid.NewGuid():N}";
        await ExecuteAsync(server, $"CREATE DATABASE {name}");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        await ExecuteAsync(connectionString, await File.ReadAllTextAsync(SchemaScriptPath()));
        return new ScratchDatabase(server, name, connectionString);
    }

    public async Task<long> CountAsync(string table)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_server, $"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string SchemaScriptPath()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var script = Path.Combine(folder.FullName, AdoNetSchemaCheck.SchemaScript);
            if (File.Exists(script)) return script;
        }
        throw new FileNotFoundException($"{AdoNetSchemaCheck.SchemaScript} not found above {AppContext.BaseDirectory}");
    }
}
