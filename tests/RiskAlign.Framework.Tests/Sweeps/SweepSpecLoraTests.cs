namespace RiskAlign.Framework.Tests.SweepsTests;

public sealed class SweepSpecLoraTests
{
    private const string Source = "specs/test.json";

    private static TrainingSettings Training(string training) => SweepSpec.Parse(SweepSpecTests.With($"\"training\": {training}"), Source).Training;

    private static string Fails(string training) =>
        Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(SweepSpecTests.With($"\"training\": {training}"), Source)).Message;

    [Fact]
    public void Lora_and_save_keys_are_read()
    {
        var t = Training("""{"lora": {"r": 4, "alpha": 8, "dropout": 0.05, "target_modules": ["q_proj", "v_proj"], "save": "adapter"}, "save": "best", "save_dir": "out/models"}""");
        Assert.Equal((4, 8.0, 0.05, LoraSaveForm.Adapter), (t.Lora!.Rank, t.Lora.Alpha, t.Lora.Dropout, t.Lora.SaveForm));
        Assert.Equal(["q_proj", "v_proj"], t.Lora.TargetModules);
        Assert.Equal((TrialSave.Best, "out/models"), (t.Save, t.SaveFolder));
        var defaults = Training("""{"lora": {"target_modules": ["wq"]}, "save": "last"}""");
        Assert.Equal((8, 16.0, 0.0, LoraSaveForm.Merged), (defaults.Lora!.Rank, defaults.Lora.Alpha, defaults.Lora.Dropout, defaults.Lora.SaveForm));
        Assert.Equal(TrialSave.Last, defaults.Save);
        Assert.Null(Training("{}").Lora);
        Assert.Equal(TrialSave.None, Training("{}").Save);
    }

    [Theory]
    [InlineData("""{"lora": {"r": 4}}""", "training.lora.target_modules: missing required field")]
    [InlineData("""{"lora": {"target_modules": []}}""", "training.lora.target_modules: expected a non-empty list of linear layer names")]
    [InlineData("""{"lora": {"target_modules": ["wq"], "r": 0}}""", "training.lora.r: expected an integer >= 1")]
    [InlineData("""{"lora": {"target_modules": ["wq"], "dropout": 1}}""", "training.lora.dropout: expected a number in [0, 1)")]
    [InlineData("""{"lora": {"target_modules": ["wq"], "rank": 4}}""", "training.lora.rank: unknown field")]
    [InlineData("""{"lora": {"target_modules": ["wq"], "save": "both"}}""", "training.lora.save: expected one of: \"merged\", \"adapter\"")]
    [InlineData("""{"save": "all"}""", "training.save: expected one of: \"none\", \"last\", \"best\"")]
    public void Bad_lora_and_save_settings_are_refused_naming_the_field(string training, string expected) =>
        Assert.Contains(expected, Fails(training));
}
