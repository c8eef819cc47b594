namespace RiskAlign.Framework.Tests.RealModels;

/// <summary>docs/models.md shows the config tables the loaders actually use, so the documented keys, defaults and
/// supported values cannot drift from the code. Set RISKALIGN_WRITE_DOCS=1 to rewrite the tables' section.</summary>
public sealed class ConfigTablesDocumentationTests
{
    private static readonly (string modelType, ConfigTable table)[] Tables =
    [
        ("llama", HuggingFaceLlama.LlamaTable), ("qwen2", HuggingFaceLlama.Qwen2Table), ("mistral", HuggingFaceLlama.MistralTable),
        ("gpt2", HuggingFaceGpt2.Table), ("gpt_neox", HuggingFaceGptNeoX.Table),
    ];

    private const string Begin = "<!-- config tables: generated from the loaders' ConfigTable, checked by ConfigTablesDocumentationTests -->";
    private const string End = "<!-- end of config tables -->";

    private static string Generated() => Begin + "\n\n" + string.Concat(Tables.Select(t =>
        $"### `model_type: {t.modelType}` ({t.table.Architecture})\n\n{t.table.ToMarkdown()}\n")) + End;

    [Fact]
    public void Docs_models_md_shows_every_architectures_config_table_as_the_loader_reads_it()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Framework.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var path = Path.Combine(root.FullName, "docs", "models.md");
        var text = File.ReadAllText(path);
        int begin = text.IndexOf(Begin, StringComparison.Ordinal), end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"{path} has no generated config-table section");
        if (Environment.GetEnvironmentVariable("RISKALIGN_WRITE_DOCS") == "1")
        {
            text = text[..begin] + Generated() + text[(end + End.Length)..];
            File.WriteAllText(path, text);
            end = text.IndexOf(End, StringComparison.Ordinal);
        }
        Assert.Equal(Generated(), text[begin..(end + End.Length)]);
    }
}
