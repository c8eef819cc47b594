using RiskAlign.SweepClient.Commands;

namespace RiskAlign.SweepClient.Tests;

[Collection("Console")]
public sealed class CliTests
{
    private static async Task<(int Exit, string Error)> InvokeAsync(params string[] args)
    {
        var error = new StringWriter();
        var previous = Console.Error;
        try
        {
            Console.SetError(error);
            return (await CliApp.Build().Parse(args).InvokeAsync(), error.ToString());
        }
        finally
        {
            Console.SetError(previous);
        }
    }

    [Fact]
    public async Task Validate_refuses_a_missing_spec_file_naming_it()
    {
        var (exit, error) = await InvokeAsync("validate", "no-such-spec.json");
        Assert.Equal(2, exit);
        Assert.Contains("no-such-spec.json", error);
    }

    [Fact]
    public async Task Validate_accepts_the_shipped_quickstart_spec()
    {
        var spec = FindUp("plugins-config/sweeps/quickstart.json");
        var (exit, error) = await InvokeAsync("validate", spec);
        Assert.True(exit == 0, error);
    }

    [Theory]
    [InlineData("search-synthetic.json")]
    [InlineData("search-synthetic-grid.json")]
    public async Task Validate_accepts_the_shipped_search_specs(string file)
    {
        var spec = FindUp($"plugins-config/sweeps/{file}");
        var (exit, error) = await InvokeAsync("validate", spec);
        Assert.True(exit == 0, error);
    }

    [Fact]
    public async Task Generate_on_a_cuda_device_this_machine_lacks_is_refused_naming_the_option()
    {
        var (exit, error) = await InvokeAsync("generate", "--model", "m.bin", "--tokenizer", "t.bin", "--prompt", "x", "--device", "cuda:63");
        Assert.Equal(2, exit);
        Assert.Contains("--device cuda:63", error); // no machine has 64 GPUs
    }

    [Fact]
    public async Task Generate_with_a_missing_model_fails_with_exit_code_2_and_the_path()
    {
        var (exit, error) = await InvokeAsync("generate", "--model", "missing-model.bin", "--tokenizer", "missing-tok.bin");
        Assert.Equal(2, exit);
        Assert.Contains("missing-", error);
    }

    private static string FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        throw new FileNotFoundException(relative);
    }
}
