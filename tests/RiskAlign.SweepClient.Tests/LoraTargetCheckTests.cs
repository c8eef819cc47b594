using RiskAlign.Framework.Assets;

namespace RiskAlign.SweepClient.Tests;

/// <summary>A LoRA target that names no linear layer of the task's model is refused by validate, before anything runs,
/// with the layer names the model has.</summary>
[Collection("Console")]
public sealed class LoraTargetCheckTests
{
    private static string Spec(TempFolder folder, string targets) => folder.File("lora.json", $$"""
        {
          "name": "lora",
          "task": { "name": "synthetic", "settings": { "model": "{{AssetLocator.Require("models/stories260k/stories260K.bin")}}" } },
          "training": { "steps": 2, "batch_size": 1, "lora": { "r": 2, "target_modules": [{{targets}}] } },
          "arms": [ { "loss": { "name": "dpo" }, "uncertainty_set": { "name": "nominal" } } ]
        }
        """);

    [Fact]
    public async Task Validate_refuses_a_target_that_matches_nothing_and_lists_the_layers()
    {
        using var folder = new TempFolder();
        var (exit, _, error) = await CliInvocation.InvokeAsync("validate", Spec(folder, "\"wq\", \"query\""));
        Assert.Equal(2, exit);
        Assert.Contains("'query' matches no linear layer", error);
        foreach (var name in new[] { "wq", "wk", "wv", "wo", "w1", "w2", "w3", "q_proj", "gate_proj" }) Assert.Contains(name, error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Validate_accepts_Hugging_Face_names_on_a_Llama()
    {
        using var folder = new TempFolder();
        var (exit, _, error) = await CliInvocation.InvokeAsync("validate", Spec(folder, "\"q_proj\", \"v_proj\""));
        Assert.True(exit == 0, error);
    }
}
