namespace RiskAlign.Framework.Tests.Plugins;

public sealed class PluginCatalogTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("riskalign-catalog-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Config(string json)
    {
        var path = Path.Combine(_folder, "plugins.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static string ThisAssembly => typeof(PluginCatalogTests).Assembly.Location.Replace("\\", "/");

    [Fact]
    public void The_shipped_plugins_json_loads_the_papers_plugins()
    {
        var catalog = PluginCatalog.LoadDefault();
        Assert.Contains(catalog.Losses, p => p.Name == "dpo");
        Assert.Contains(catalog.RiskMeasures, p => p.Name == "expectation");
        Assert.Contains(catalog.UncertaintySets, p => p.Name == "nominal");
        // Loaded through their own load context, they still implement the host's contracts.
        Assert.IsAssignableFrom<IPreferenceLoss>(catalog.FindLoss("dpo"));
    }

    [Fact]
    public void A_plugin_assembly_is_discovered_by_its_public_plugin_classes()
    {
        var catalog = PluginCatalog.Load(Config($$"""{"plugins": [{"path": "{{ThisAssembly}}"}]}"""));
        Assert.Equal(["test-loss"], catalog.Losses.Select(p => p.Name));
        Assert.Equal(["test-risk"], catalog.RiskMeasures.Select(p => p.Name));
        Assert.Equal(["test-set"], catalog.UncertaintySets.Select(p => p.Name));
    }

    [Fact]
    public void A_missing_assembly_is_named_with_its_entry_and_a_hint()
    {
        var error = Assert.Throws<PluginCatalogException>(() => PluginCatalog.Load(Config("""{"plugins": [{"path": "nowhere/Missing.dll"}]}""")));
        Assert.Contains("plugins[0].path", error.Message);
        Assert.Contains("Missing.dll", error.Message);
        Assert.Contains("dotnet build", error.Message);
    }

    [Fact]
    public void An_assembly_without_plugin_classes_is_refused()
    {
        var contracts = typeof(IPlugin).Assembly.Location.Replace("\\", "/");
        var error = Assert.Throws<PluginCatalogException>(() => PluginCatalog.Load(Config($$"""{"plugins": [{"path": "{{contracts}}"}]}""")));
        Assert.Contains("plugins[0].path", error.Message);
        Assert.Contains("no public class implementing", error.Message);
    }

    [Fact]
    public void Two_plugins_with_one_name_are_refused_naming_both()
    {
        var error = Assert.Throws<PluginCatalogException>(() => PluginCatalog.Load(Config(
            $$"""{"plugins": [{"path": "{{ThisAssembly}}"}, {"path": "{{ThisAssembly}}"}]}""")));
        Assert.Contains("'test-loss'", error.Message);
        Assert.Contains("plugins[0]", error.Message);
        Assert.Contains("plugins[1]", error.Message);
    }

    [Theory]
    [InlineData("""{"plugins": [ {"path": "x.dll"} """, "malformed JSON at line 1")]
    [InlineData("""{"assemblies": []}""", "\"plugins\" array")]
    [InlineData("""{"plugins": [{"file": "x.dll"}]}""", "plugins[0]: expected an object with a non-empty string \"path\"")]
    [InlineData("""{"plugins": [{"path": "x.dll", "enabled": true}]}""", "plugins[0].enabled: unknown field")]
    public void A_malformed_catalog_is_refused_naming_the_place(string json, string expected)
    {
        var error = Assert.Throws<PluginCatalogException>(() => PluginCatalog.Load(Config(json)));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Resolve_fills_defaults_and_binds_the_risk_measure()
    {
        var catalog = PluginCatalog.FromPlugins([new SchemaOnlyLoss(), new SchemaOnlyRisk(), new SchemaOnlySet()]);
        var trial = new TrialDefinition
        {
            SweepId = "s", Index = 0, Arm = "a",
            Task = new TaskChoice("synthetic"),
            Loss = new PluginChoice("test-loss", new Dictionary<string, ParameterValue> { ["beta"] = ParameterValue.Of(0.5) }),
            Risk = new PluginChoice("test-risk", new Dictionary<string, ParameterValue>()),
            UncertaintySet = new PluginChoice("test-set", new Dictionary<string, ParameterValue>()),
            Training = new TrainingSettings(),
        };

        var plugins = catalog.Resolve(trial);

        Assert.Equal(0.5, plugins.LossParameters.Real("beta"));
        Assert.Equal(0.9, plugins.Risk!.Parameters.Real("level"));
        var withoutRisk = Assert.Throws<InvalidOperationException>(() => catalog.Resolve(trial with { Risk = null }));
        Assert.Contains("Invariant broken", withoutRisk.Message);
        var unknown = Assert.Throws<PluginCatalogException>(() => catalog.Resolve(trial with { Loss = new PluginChoice("dpx", new Dictionary<string, ParameterValue>()) }));
        Assert.Contains("Unknown loss 'dpx'", unknown.Message);
        Assert.Contains("known: test-loss", unknown.Message);
    }

    [Fact]
    public void Duplicate_names_among_given_plugins_are_refused()
    {
        var error = Assert.Throws<PluginCatalogException>(() => PluginCatalog.FromPlugins([new SchemaOnlyLoss(), new SchemaOnlyLoss()]));
        Assert.Contains("two loss plugins are named 'test-loss'", error.Message);
    }
}
