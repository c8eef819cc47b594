namespace RiskAlign.Framework.Tests.SweepsTests;

public sealed class SweepSpecTests
{
    private const string Source = "specs/test.json";

    /// <summary>The example of docs/sweep-spec.md.</summary>
    internal const string Quickstart = """
        {
          // comments are allowed
          "name": "quickstart", "description": "optional text",
          "task": {"name": "synthetic", "settings": {"train_pairs": 256, "token_reward_scale": 0.5}},
          "training": {"steps": 120, "batch_size": 16, "learning_rate": 0.001, "weight_decay": 0, "warmup_steps": 0, "max_grad_norm": 10, "eval_every": 40},
          "seeds": [0, 1],
          "arms": [
            {"name": "dpo", "loss": {"name": "dpo", "params": {"beta": [0.05, 0.1, 0.5]}}, "uncertainty_set": {"name": "nominal"}},
            {"name": "ra-dpo2/cvar", "loss": {"name": "ra-dpo2", "params": {"beta": 0.1, "alpha": [0.3, 0.7]}},
             "risk": {"name": "cvar", "params": {"confidence_level": 0.95}},
             "uncertainty_set": {"name": "kl", "params": {"tau": {"min": 0.5, "max": 2, "count": 3, "scale": "log"}}}}
          ],
          "max_concurrent_trials": 2
        }
        """;

    /// <summary>A minimal valid spec with one member replaced or added: <paramref name="member"/> is raw JSON like "\"seeds\": [1]".</summary>
    internal static string With(string member, string arms = """[{"loss": {"name": "dpo"}, "uncertainty_set": {"name": "nominal"}}]""") =>
        $$"""{"name": "t", "task": {"name": "synthetic"}, "arms": {{arms}}{{(member == "" ? "" : ", " + member)}}}""";

    internal static string Arm(string loss, string extra = "") =>
        $$"""[{"loss": {{loss}}, "uncertainty_set": {"name": "nominal"}{{extra}}}]""";

    private static SweepSpecException Fails(string json) => Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(json, Source));

    private static void AssertOneLine(string message, params string[] parts)
    {
        Assert.DoesNotContain('\n', message);
        Assert.StartsWith(Source + ": ", message);
        foreach (var part in parts) Assert.Contains(part, message);
    }

    [Fact]
    public void Training_precision_takes_fp32_bf16_or_tf32_and_refuses_others_naming_the_field()
    {
        Assert.Equal(TrainingPrecision.Fp32, SweepSpec.Parse(With(""), Source).Training.Precision);
        Assert.Equal(TrainingPrecision.Bf16, SweepSpec.Parse(With("\"training\": {\"precision\": \"bf16\"}"), Source).Training.Precision);
        Assert.Equal(TrainingPrecision.Tf32, SweepSpec.Parse(With("\"training\": {\"precision\": \"tf32\"}"), Source).Training.Precision);
        AssertOneLine(Fails(With("\"training\": {\"precision\": \"fp16\"}")).Message, "training.precision", "\"bf16\"", "fp16");
    }

    [Fact]
    public void The_documented_example_parses_into_its_parts()
    {
        var spec = SweepSpec.Parse(Quickstart, Source);
        Assert.Equal("quickstart", spec.Name);
        Assert.Equal("optional text", spec.Description);
        Assert.Equal(Source, spec.SourceName);
        Assert.Equal("synthetic", spec.Task.Name);
        Assert.Equal("""{"train_pairs": 256, "token_reward_scale": 0.5}""", spec.Task.Settings); // as written; the planner reads it
        Assert.Equal(new TrainingSettings { Steps = 120, BatchSize = 16, LearningRate = 0.001, WeightDecay = 0, WarmupSteps = 0, MaxGradNorm = 10, EvalEvery = 40 }, spec.Training);
        Assert.Equal([0, 1], spec.Seeds);
        Assert.Equal(2, spec.MaxConcurrentTrials);
        Assert.Equal(["dpo", "ra-dpo2/cvar"], spec.Arms.Select(a => a.Name));
        var ra = spec.Arms[1];
        Assert.Equal(["beta", "alpha"], ra.Loss.Parameters.Select(p => p.Name));
        Assert.Equal("arms[1].loss.params.alpha", ra.Loss.Parameters[1].Path);
        Assert.Equal("cvar", ra.Risk!.Name);
        Assert.Equal(new ValueRange(0.5, 2, 3, RangeScale.Log), ra.UncertaintySet.Parameters[0].Range);
    }

    [Fact]
    public void Omitted_fields_take_their_defaults()
    {
        var spec = SweepSpec.Parse(With(""), Source);
        Assert.Null(spec.Description);
        Assert.Equal("{}", spec.Task.Settings);
        Assert.Equal(new TrainingSettings(), spec.Training);
        Assert.Equal([0], spec.Seeds);
        Assert.Equal(1, spec.MaxConcurrentTrials);
        Assert.Equal("dpo", spec.Arms[0].Name);
        Assert.Null(spec.Arms[0].Risk);
    }

    [Fact]
    public void An_unnamed_arm_is_named_after_its_loss_and_risk_measure()
    {
        var spec = SweepSpec.Parse(With("", Arm("""{"name": "ra-dpo2"}""", """, "risk": {"name": "cvar"}""")), Source);
        Assert.Equal("ra-dpo2/cvar", spec.Arms[0].Name);
    }

    [Fact]
    public void Malformed_json_names_the_file_and_line()
    {
        var e = Fails("{\n  \"name\": \"t\"\n  \"task\": {}\n}");
        AssertOneLine(e.Message, "line 3", "malformed JSON");
    }

    [Fact]
    public void A_trailing_comma_is_malformed_json()
    {
        var e = Fails(With("\"seeds\": [0, 1,]"));
        AssertOneLine(e.Message, "line 1", "malformed JSON");
    }

    [Fact]
    public void A_missing_required_field_is_named_by_its_path()
    {
        AssertOneLine(Fails("""{"name": "t", "task": {"name": "synthetic"}}""").Message, "arms: missing required field");
        AssertOneLine(Fails("""{"name": "t", "task": {}, "arms": []}""").Message, "task.name: missing required field");
        AssertOneLine(Fails(With("", """[{"loss": {"name": "dpo"}}]""")).Message, "arms[0].uncertainty_set: missing required field");
    }

    [Fact]
    public void A_wrong_type_says_what_was_expected_and_what_was_found()
    {
        AssertOneLine(Fails(With("\"seeds\": \"0\"")).Message, "seeds: expected a list of integer seeds", "got the string \"0\"");
        AssertOneLine(Fails(With("\"training\": {\"steps\": 1.5}")).Message, "training.steps: expected an integer >= 1", "got 1.5");
        AssertOneLine(Fails(With("\"training\": {\"learning_rate\": 0}")).Message, "training.learning_rate: expected a number > 0", "got 0");
        AssertOneLine(Fails(With("\"max_concurrent_trials\": 0")).Message, "max_concurrent_trials: expected an integer >= 1");
        AssertOneLine(Fails(With("", "[{\"loss\": \"dpo\", \"uncertainty_set\": {\"name\": \"nominal\"}}]")).Message,
            "arms[0].loss: expected a plugin (a JSON object)", "got the string \"dpo\"");
        AssertOneLine(Fails(With("", Arm("""{"name": "dpo", "params": {"beta": null}}"""))).Message,
            "arms[0].loss.params.beta: expected a number, a string, true/false, a list of those, or a range", "got null");
        AssertOneLine(Fails(With("", Arm("""{"name": "dpo", "params": {"beta": [[0.1]]}}"""))).Message, "arms[0].loss.params.beta[0]: expected a number");
        AssertOneLine(Fails(With("").Replace("""{"name": "synthetic"}""", """{"name": "synthetic", "settings": [1]}""")).Message, "task.settings: expected");
        AssertOneLine(Fails("[1]").Message, "$: expected the sweep spec (a JSON object)");
    }

    [Fact]
    public void An_unknown_field_is_rejected_with_the_allowed_ones()
    {
        AssertOneLine(Fails(With("\"trainig\": {}")).Message, "trainig: unknown field; expected one of: name, description, task, training, seeds, arms, max_concurrent_trials");
        AssertOneLine(Fails(With("\"training\": {\"seed\": 3}")).Message, "training.seed: unknown field", "eval_every");
        AssertOneLine(Fails(With("", Arm("""{"name": "dpo", "param": {}}"""))).Message, "arms[0].loss.param: unknown field; expected one of: name, params");
        AssertOneLine(Fails(With("", Arm("""{"name": "dpo", "params": {"beta": {"min": 0.1, "max": 1, "cnt": 3}}}"""))).Message,
            "arms[0].loss.params.beta.cnt: unknown field; expected one of: min, max, count, scale");
    }

    [Fact]
    public void A_duplicate_field_is_rejected()
    {
        AssertOneLine(Fails("""{"name": "a", "name": "b", "task": {"name": "synthetic"}, "arms": []}""").Message, "name: duplicate field");
    }

    [Fact]
    public void Empty_lists_are_rejected()
    {
        AssertOneLine(Fails(With("", "[]")).Message, "arms: expected a list of arms", "empty list");
        AssertOneLine(Fails(With("\"seeds\": []")).Message, "seeds: expected a list of integer seeds", "empty list");
        AssertOneLine(Fails(With("", Arm("""{"name": "dpo", "params": {"beta": []}}"""))).Message, "arms[0].loss.params.beta: expected a non-empty list of values", "empty list");
    }

    [Fact]
    public void Repeated_values_and_arm_names_are_rejected()
    {
        AssertOneLine(Fails(With("\"seeds\": [0, 1, 0]")).Message, "seeds[2]: expected distinct seeds");
        AssertOneLine(Fails(With("", Arm("""{"name": "dpo", "params": {"beta": [0.1, 0.1]}}"""))).Message, "arms[0].loss.params.beta[1]: expected distinct values");
        var twice = """[{"loss": {"name": "dpo"}, "uncertainty_set": {"name": "nominal"}}, {"loss": {"name": "dpo"}, "uncertainty_set": {"name": "kl"}}]""";
        AssertOneLine(Fails(With("", twice)).Message, "arms[1]: expected a distinct arm name; 'dpo' is already the name of arms[0]");
    }

    [Fact]
    public void A_range_needs_a_count_of_at_least_one()
    {
        AssertOneLine(Fails(With("", Arm("""{"name": "dpo", "params": {"beta": {"min": 0.1, "max": 1, "count": 0}}}"""))).Message,
            "arms[0].loss.params.beta.count: expected an integer >= 1", "got 0");
        // A range without a count parses (an interval for sampled search); grid search refuses it in the planner
        // (Search/SearchSpecTests.Grid_search_is_unchanged_and_needs_a_count_in_each_range).
    }

    [Fact]
    public void A_range_needs_min_at_most_max()
    {
        AssertOneLine(Fails(With("", Arm("""{"name": "dpo", "params": {"beta": {"min": 2, "max": 1, "count": 3}}}"""))).Message,
            "arms[0].loss.params.beta: expected min <= max; got min 2 > max 1");
        AssertOneLine(Fails(With("", Arm("""{"name": "dpo", "params": {"beta": {"min": 1, "max": 1, "count": 3}}}"""))).Message,
            "arms[0].loss.params.beta: expected min < max when count > 1");
    }

    [Fact]
    public void A_log_range_needs_a_positive_min()
    {
        AssertOneLine(Fails(With("", Arm("""{"name": "dpo", "params": {"beta": {"min": 0, "max": 1, "count": 3, "scale": "log"}}}"""))).Message,
            "arms[0].loss.params.beta.min: expected min > 0 on a log scale; got 0");
        AssertOneLine(Fails(With("", Arm("""{"name": "dpo", "params": {"beta": {"min": 1, "max": 2, "count": 3, "scale": "exp"}}}"""))).Message,
            "arms[0].loss.params.beta.scale: expected \"linear\" or \"log\"", "got the string \"exp\"");
    }

    [Fact]
    public void Load_reads_a_file_and_names_a_missing_one()
    {
        var path = Path.Combine(Path.GetTempPath(), $"riskalign-spec-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, Quickstart);
        try
        {
            var spec = SweepSpec.Load(path);
            Assert.Equal(path, spec.SourceName);
            Assert.Equal("quickstart", spec.Name);
        }
        finally { File.Delete(path); }
        var e = Assert.Throws<SweepSpecException>(() => SweepSpec.Load(path));
        Assert.StartsWith(path + ": file not found", e.Message);
        var bad = Assert.Throws<SweepSpecException>(() => SweepSpec.Parse("{", path));
        Assert.StartsWith(path + ": line 1", bad.Message);
    }
}
