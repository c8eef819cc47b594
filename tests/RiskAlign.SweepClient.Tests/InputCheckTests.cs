namespace RiskAlign.SweepClient.Tests;

/// <summary>Bad files are found by validate and run before anything starts: exit 2 and one line naming the file
/// (and the line, for a malformed record).</summary>
[Collection("Console")]
public sealed class InputCheckTests
{
    // Model and tokenizer are stand-in files: the check only proves they exist and are not empty, so these tests need no assets.
    private static string Spec(TempFolder folder, string data) => folder.File("pairs.json", $$"""
        {
          "name": "own",
          "task": { "name": "preference-pairs", "settings": { "data": "{{data}}", "format": "jsonl",
                    "model": "{{folder.File("model.bin", "x")}}", "tokenizer": "{{folder.File("tok.bin", "x")}}",
                    "train_pairs": 2, "eval_pairs": 1 } },
          "training": { "steps": 2, "batch_size": 1 },
          "arms": [ { "loss": { "name": "dpo" }, "uncertainty_set": { "name": "nominal" } } ]
        }
        """);

    private const string Good = """{"prompt": "p", "chosen": " a", "rejected": " b"}""";

    [Theory]
    [InlineData("malformed", "pairs.jsonl:3:")]
    [InlineData("empty", "the file is empty")]
    [InlineData("missing", "not found")]
    [InlineData("too-few", "2 usable pairs")]
    public async Task Validate_opens_the_pairs_file_and_names_it_and_the_line(string kind, string expected)
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "pairs.jsonl");
        switch (kind)
        {
            case "malformed": File.WriteAllLines(data, [Good, Good, "{\"prompt\": \"p\", \"chosen\": 3}", Good]); break;
            case "empty": File.WriteAllText(data, ""); break;
            case "too-few": File.WriteAllLines(data, [Good, Good, """{"prompt": "p", "chosen": " same", "rejected": " same"}"""]); break;
        }

        var (exit, _, error) = await CliInvocation.InvokeAsync("validate", Spec(folder, data));

        Assert.Equal(2, exit);
        Assert.Contains("pairs.jsonl", error);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task Validate_accepts_enough_well_formed_pairs()
    {
        using var folder = new TempFolder();
        var data = folder.File("pairs.jsonl", string.Join("\n", Enumerable.Repeat(Good, 3)));
        var (exit, _, error) = await CliInvocation.InvokeAsync("validate", Spec(folder, data));
        Assert.True(exit == 0, error);
    }

    [Fact]
    public async Task Run_refuses_a_bad_pairs_file_before_creating_the_output_folder()
    {
        using var folder = new TempFolder();
        var data = folder.File("pairs.jsonl", "");
        var output = Path.Combine(folder.Path, "out");
        var (exit, _, error) = await CliInvocation.InvokeAsync("run", Spec(folder, data), "--out", output);
        Assert.Equal(2, exit);
        Assert.Contains("pairs.jsonl", error);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Run_with_an_output_folder_that_cannot_be_written_is_one_line_and_exit_2()
    {
        using var folder = new TempFolder();
        var blocker = folder.File("not-a-folder", "x"); // a folder cannot be made under a file, even as root
        var spec = CliInvocation.FindUp("plugins-config/sweeps/quickstart.json");
        var (exit, _, error) = await CliInvocation.InvokeAsync("run", spec, "--out", Path.Combine(blocker, "out"));
        Assert.Equal(2, exit);
        Assert.Contains("not-a-folder", error);
        Assert.Contains("cannot be written", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task Run_refuses_a_dashboard_it_cannot_serve_before_creating_the_output_folder()
    {
        using var folder = new TempFolder();
        var spec = CliInvocation.FindUp("plugins-config/sweeps/quickstart.json");
        var output = Path.Combine(folder.Path, "out");

        var (remote, _, remoteError) = await CliInvocation.InvokeAsync("run", spec, "--out", output, "--gateway", "30000", "--dashboard", "8080");
        var (range, _, rangeError) = await CliInvocation.InvokeAsync("run", spec, "--out", output, "--dashboard", "70000");

        Assert.Equal((2, 2), (remote, range));
        Assert.Contains("start a Silo with --dashboard PORT instead", remoteError);
        Assert.Contains("--dashboard 70000: expected a TCP port from 1 to 65535", rangeError);
        Assert.False(Directory.Exists(output));
    }

    /// <summary>Runs where libtorch sees no CUDA device (CI, this machine): there a GPU-only spec cannot be placed.</summary>
    public sealed class WithoutCudaFactAttribute : FactAttribute
    {
        public WithoutCudaFactAttribute()
        {
            if (TorchSharp.torch.cuda.is_available()) Skip = "CUDA is available: the embedded cluster has GPU slots";
        }
    }

    [WithoutCudaFact]
    public async Task Run_refuses_GPU_only_trials_on_an_embedded_cluster_without_a_GPU_instead_of_waiting_for_ever()
    {
        using var folder = new TempFolder();
        var quickstart = File.ReadAllText(CliInvocation.FindUp("plugins-config/sweeps/quickstart.json"));
        var spec = folder.File("gpu-only.json", quickstart.Replace("\"training\": {", "\"training\": { \"device\": \"gpu\","));
        var output = Path.Combine(folder.Path, "out");

        var (exit, _, error) = await CliInvocation.InvokeAsync("run", spec, "--out", output);

        Assert.Equal(2, exit);
        Assert.Contains("training.device is \"gpu\", but this machine has no CUDA device", error);
        Assert.DoesNotContain("   at ", error);
        Assert.False(Directory.Exists(output));
    }
}
