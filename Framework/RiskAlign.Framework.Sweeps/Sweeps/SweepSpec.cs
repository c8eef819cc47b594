using System.Globalization;
using System.Text.Json;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Sweeps;

/// <summary>
/// A sweep as a user writes it (JSON; format in docs/sweep-spec.md): the task, the training settings, the seeds and
/// the arms with the values of their plugins' parameters. Parsing checks the shape only; <see cref="SweepPlanner"/>
/// checks it against the loaded plugins and expands it into trials.
/// </summary>
public sealed class SweepSpec
{
    private SweepSpec(string sourceName, string name, string? description, TaskChoice task, TrainingSettings training,
        IReadOnlyList<int> seeds, IReadOnlyList<SweepArm> arms, int maxConcurrentTrials, int maxFailures, SearchSettings search, TimeSpan? timeBudget)
    {
        MaxFailures = maxFailures;
        TimeBudget = timeBudget;
        SourceName = sourceName; Name = name; Description = description; Task = task; Training = training;
        Seeds = seeds; Arms = arms; MaxConcurrentTrials = maxConcurrentTrials;
        Search = search;
    }

    /// <summary>The file (or other source) the spec came from, as error messages name it.</summary>
    public string SourceName { get; }
    /// <summary>Sweep name.</summary>
    public string Name { get; }
    /// <summary>Free text, or null.</summary>
    public string? Description { get; }
    /// <summary>The task every trial trains on; settings as the JSON object the spec gives (checked by the planner).</summary>
    public TaskChoice Task { get; }
    /// <summary>Training settings shared by all trials (the seed is set per trial from <see cref="Seeds"/>).</summary>
    public TrainingSettings Training { get; }
    /// <summary>Seeds each parameter combination runs with; default [0].</summary>
    public IReadOnlyList<int> Seeds { get; }
    /// <summary>The arms, in declared order.</summary>
    public IReadOnlyList<SweepArm> Arms { get; }
    /// <summary>How many trials may run at once; default 1.</summary>
    public int MaxConcurrentTrials { get; }
    /// <summary>How many times a trial may be lost with its silo and sent again before it is marked Failed; default 3.</summary>
    public int MaxFailures { get; }
    /// <summary>How parameter values are picked; <see cref="SearchSettings.Grid"/> when the spec has no "search".</summary>
    public SearchSettings Search { get; }
    /// <summary>Wall-clock time the sweep may run before it starts nothing more and stops what runs; null = none.</summary>
    public TimeSpan? TimeBudget { get; }

    /// <summary>Reads and parses a spec file.</summary>
    /// <exception cref="SweepSpecException">The file cannot be read or the spec is malformed.</exception>
    public static SweepSpec Load(string path)
    {
        string json;
        try { json = File.ReadAllText(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SweepSpecException($"{path}: file not found; expected a sweep spec (JSON, see docs/sweep-spec.md).", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SweepSpecException(SpecReader.OneLine($"{path}: cannot read the sweep spec: {e.Message}"), e);
        }
        return Parse(json, path);
    }

    /// <summary>Parses a spec; <paramref name="sourceName"/> is what error messages call it (usually the file path).</summary>
    /// <exception cref="SweepSpecException">Malformed JSON or a spec of the wrong shape.</exception>
    public static SweepSpec Parse(string json, string sourceName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            var message = e.Message;
            int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0) message = message[..cut];
            throw new SweepSpecException(SpecReader.OneLine(
                $"{sourceName}: line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}: malformed JSON: {message}"), e);
        }
        using (document)
            return new SpecReader(sourceName).Read(document.RootElement);
    }

    private sealed class SpecReader(string source)
    {
        private static readonly string[] RootFields = ["name", "description", "task", "training", "seeds", "arms", "max_concurrent_trials", "max_failures", "search", "time_budget_minutes"];
        private static readonly string[] TaskFields = ["name", "settings"];
        private static readonly string[] TrainingFields = ["preset", "steps", "batch_size", "gradient_accumulation_steps", "robust_group",
            "learning_rate", "weight_decay", "betas", "eps", "warmup_steps", "warmup_ratio", "warmup_start_factor", "lr_schedule",
            "min_lr_ratio", "max_grad_norm", "eval_every", "log_every", "precision", "device", "lora", "save", "save_dir", "time_limit_minutes"];
        private static readonly string[] LoraFields = ["r", "alpha", "dropout", "target_modules", "save"];
        private static readonly string[] ArmFields = ["name", "loss", "risk", "uncertainty_set"];
        private static readonly string[] PluginFields = ["name", "params"];
        private static readonly string[] RangeFields = ["min", "max", "count", "scale"];
        private static readonly string[] SearchFields = ["sampler", "max_trials", "seed", "population", "asha"];
        private static readonly string[] AshaFields = ["grace_period", "reduction_factor"];
        // A week: the longest a trial grain stays active while it runs (and far inside a timer's range).
        private const int MaxTimeLimitMinutes = 7 * 24 * 60;
        private const int MaxTimeBudgetMinutes = 366 * 24 * 60;

        public SweepSpec Read(JsonElement root)
        {
            var fields = Fields(root, "", RootFields, "the sweep spec");
            var name = RequiredString(fields, "", "name");
            string? description = null;
            if (fields.TryGetValue("description", out var d))
                description = d.ValueKind == JsonValueKind.String ? d.GetString() : throw Fail("description", "expected a string", d);
            var task = ReadTask(Required(fields, "", "task"));
            var training = fields.TryGetValue("training", out var t) ? ReadTraining(t) : new TrainingSettings();
            var seeds = fields.TryGetValue("seeds", out var s) ? ReadSeeds(s) : [0];
            int maxConcurrent = fields.TryGetValue("max_concurrent_trials", out var m) ? Integer(m, "max_concurrent_trials", 1) : 1;
            int maxFailures = fields.TryGetValue("max_failures", out var f) ? Integer(f, "max_failures", 0) : 3;
            var arms = ReadArms(Required(fields, "", "arms"));
            var search = fields.TryGetValue("search", out var se) ? ReadSearch(se, training) : SearchSettings.Grid;
            TimeSpan? budget = fields.TryGetValue("time_budget_minutes", out var b) ? ReadMinutes(b, "time_budget_minutes", MaxTimeBudgetMinutes, "a year") : null;
            return new SweepSpec(source, name, description, task, training, seeds, arms, maxConcurrent, maxFailures, search, budget);
        }

        private SearchSettings ReadSearch(JsonElement element, TrainingSettings training)
        {
            var fields = Fields(element, "search", SearchFields, "search settings");
            var sampler = SearchSampler.Grid;
            if (fields.TryGetValue("sampler", out var s))
            {
                int known = s.ValueKind == JsonValueKind.String ? SearchSettings.SamplerNames.ToList().IndexOf(s.GetString()!) : -1;
                sampler = known >= 0 ? (SearchSampler)known
                    : throw Fail("search.sampler", $"expected one of {string.Join(", ", SearchSettings.SamplerNames.Select(n => $"\"{n}\""))}", s);
            }
            int? maxTrials = fields.TryGetValue("max_trials", out var m) ? Integer(m, "search.max_trials", 1) : null;
            if (sampler == SearchSampler.Grid && maxTrials is not null)
                throw Fail("search.max_trials", "expected no max_trials for grid search (it runs every combination); set \"sampler\" to \"random\" or \"nsga2\" for a budget");
            if (sampler != SearchSampler.Grid && maxTrials is null)
                throw Fail("search", $"missing required field max_trials (an integer >= 1) for sampler \"{SearchSettings.SamplerNames[(int)sampler]}\"");
            int seed = fields.TryGetValue("seed", out var sd) ? Integer(sd, "search.seed", int.MinValue) : 0;
            int? population = null;
            if (fields.TryGetValue("population", out var pop))
            {
                if (sampler != SearchSampler.Nsga2)
                    throw Fail("search.population", $"expected no population for sampler \"{SearchSettings.SamplerNames[(int)sampler]}\" (only \"nsga2\" breeds a population)", pop);
                population = Integer(pop, "search.population", 2);
                if (population > maxTrials)
                    throw Fail("search.population", $"expected at most max_trials ({maxTrials}): a larger population never breeds, every setting would be a uniform draw", pop);
            }
            AshaSettings? asha = null;
            if (fields.TryGetValue("asha", out var a))
            {
                var ashaFields = Fields(a, "search.asha", AshaFields, "ASHA settings");
                int grace = Integer(Required(ashaFields, "search.asha", "grace_period"), "search.asha.grace_period", 1);
                int factor = ashaFields.TryGetValue("reduction_factor", out var f) ? Integer(f, "search.asha.reduction_factor", 2) : 3;
                if (grace >= training.Steps)
                    throw Fail("search.asha.grace_period", $"expected fewer steps than training.steps ({training.Steps}), so there is a rung to stop at", Required(ashaFields, "search.asha", "grace_period"));
                if (grace % training.EvalEvery != 0)
                    throw Fail("search.asha.grace_period", $"expected a multiple of training.eval_every ({training.EvalEvery}): rungs are evaluation checkpoints", Required(ashaFields, "search.asha", "grace_period"));
                asha = new AshaSettings(grace, factor);
            }
            return new SearchSettings(sampler, maxTrials, seed, asha) { Population = population };
        }

        private TaskChoice ReadTask(JsonElement element)
        {
            var fields = Fields(element, "task", TaskFields, "a task");
            var name = RequiredString(fields, "task", "name");
            // The task's settings record reads and checks the values (SweepPlanner, TaskCatalog.Normalize); here only the shape.
            string settings = "{}";
            if (fields.TryGetValue("settings", out var s))
            {
                FieldList(s, "task.settings", null, "task settings");
                settings = s.GetRawText();
            }
            return new TaskChoice(name, settings);
        }

        private TrainingSettings ReadTraining(JsonElement element)
        {
            var fields = FieldList(element, "training", TrainingFields, "training settings");
            var settings = new TrainingSettings();
            if (fields.FirstOrDefault(f => f.Name == "preset") is { Name: not null } p)
            {
                var presetName = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw Fail("training.preset", "expected a string", p.Value);
                settings = TrainingPresets.Find(presetName)
                    ?? throw Fail("training.preset", $"unknown preset; expected one of: {string.Join(", ", TrainingPresets.Names)}", p.Value);
            }
            // The spec's warm-up length replaces the preset's, whichever form either uses.
            if (fields.Any(f => f.Name is "warmup_steps" or "warmup_ratio"))
                settings = settings with { WarmupSteps = 0, WarmupRatio = 0 };
            if (fields.Any(f => f.Name == "warmup_steps") && fields.Any(f => f.Name == "warmup_ratio"))
                throw Fail("training.warmup_ratio", "expected either warmup_steps or warmup_ratio, not both");
            foreach (var (key, value) in fields)
            {
                var path = $"training.{key}";
                settings = key switch
                {
                    "preset" => settings,
                    "steps" => settings with { Steps = Integer(value, path, 1) },
                    "batch_size" => settings with { BatchSize = Integer(value, path, 1) },
                    "gradient_accumulation_steps" => settings with { GradientAccumulationSteps = Integer(value, path, 1) },
                    "robust_group" => settings with
                    {
                        RobustGroup = Choice(value, path, ("micro_batch", RobustGroup.MicroBatch), ("step", RobustGroup.Step)),
                    },
                    "learning_rate" => settings with { LearningRate = Real(value, path, positive: true) },
                    "weight_decay" => settings with { WeightDecay = Real(value, path, positive: false) },
                    "betas" => ReadBetas(settings, value, path),
                    "eps" => settings with { Epsilon = Real(value, path, positive: true) },
                    "warmup_steps" => settings with { WarmupSteps = Integer(value, path, 0) },
                    "warmup_ratio" => settings with { WarmupRatio = Fraction(value, path) },
                    "warmup_start_factor" => settings with { WarmupStartFactor = Fraction(value, path) },
                    "lr_schedule" => settings with
                    {
                        Schedule = Choice(value, path, ("constant", LearningRateSchedule.Constant), ("linear", LearningRateSchedule.Linear),
                            ("cosine", LearningRateSchedule.Cosine)),
                    },
                    "min_lr_ratio" => settings with { MinLearningRateRatio = Fraction(value, path) },
                    "max_grad_norm" => settings with { MaxGradNorm = Real(value, path, positive: false) },
                    "eval_every" => settings with { EvalEvery = Integer(value, path, 1) },
                    "precision" => settings with
                    {
                        Precision = TrainingPrecisionNames.TryParse(value.ValueKind == JsonValueKind.String ? value.GetString() : null)
                            ?? throw Fail(path, $"expected one of {string.Join(", ", TrainingPrecisionNames.All.Select(n => $"\"{n}\""))}", value),
                    },
                    "log_every" => settings with { LogEvery = Integer(value, path, 0) },
                    "lora" => settings with { Lora = ReadLora(value, path) },
                    "save" => settings with { Save = Choice(value, path, ("none", TrialSave.None), ("last", TrialSave.Last), ("best", TrialSave.Best)) },
                    "save_dir" => settings with
                    {
                        SaveFolder = value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } dir ? dir : throw Fail(path, "expected a folder path (a non-empty string)", value),
                    },
                    "device" => settings with
                    {
                        Device = Choice(value, path, ("any", TrialDevice.Any), ("gpu", TrialDevice.Gpu), ("cpu", TrialDevice.Cpu)),
                    },
                    "time_limit_minutes" => settings with { TimeLimit = ReadMinutes(value, path, MaxTimeLimitMinutes, "a week") },
                    _ => throw new InvalidOperationException(key), // FieldList() allowed only the keys above
                };
            }
            return settings;
        }

        private TimeSpan ReadMinutes(JsonElement element, string path, int most, string mostInWords)
        {
            double minutes = Real(element, path, positive: true);
            return minutes <= most ? TimeSpan.FromMinutes(minutes)
                : throw Fail(path, $"expected a number of minutes > 0 and at most {most} ({mostInWords})", element);
        }

        private LoraSettings ReadLora(JsonElement element, string path)
        {
            var fields = Fields(element, path, LoraFields, "LoRA settings {\"r\", \"alpha\", \"dropout\", \"target_modules\", \"save\"}");
            var lora = new LoraSettings();
            if (fields.TryGetValue("r", out var r)) lora = lora with { Rank = Integer(r, $"{path}.r", 1) };
            if (fields.TryGetValue("alpha", out var a)) lora = lora with { Alpha = Real(a, $"{path}.alpha", positive: true) };
            if (fields.TryGetValue("dropout", out var d))
            {
                double dropout = Real(d, $"{path}.dropout", positive: false);
                lora = lora with { Dropout = dropout < 1 ? dropout : throw Fail($"{path}.dropout", "expected a number in [0, 1)", d) };
            }
            const string expected = "a non-empty list of linear layer names, like [\"wq\", \"wv\"] or [\"q_proj\", \"v_proj\"]";
            var items = NonEmptyArray(Required(fields, path, "target_modules"), $"{path}.target_modules", expected);
            var names = new List<string>();
            for (int i = 0; i < items.Count; i++)
                names.Add(items[i].ValueKind == JsonValueKind.String && items[i].GetString() is { Length: > 0 } name
                    ? name : throw Fail($"{path}.target_modules[{i}]", "expected a layer name (a non-empty string)", items[i]));
            lora = lora with { TargetModules = names };
            if (fields.TryGetValue("save", out var save))
                lora = lora with { SaveForm = Choice(save, $"{path}.save", ("merged", LoraSaveForm.Merged), ("adapter", LoraSaveForm.Adapter)) };
            return lora;
        }

        private TrainingSettings ReadBetas(TrainingSettings settings, JsonElement value, string path)
        {
            const string expected = "a list of two numbers in [0, 1), like [0.9, 0.999]";
            var items = NonEmptyArray(value, path, expected);
            if (items.Count != 2) throw Fail(path, $"expected {expected}", value);
            double b1 = Real(items[0], $"{path}[0]", positive: false), b2 = Real(items[1], $"{path}[1]", positive: false);
            if (b1 >= 1) throw Fail($"{path}[0]", "expected a number in [0, 1)", items[0]);
            if (b2 >= 1) throw Fail($"{path}[1]", "expected a number in [0, 1)", items[1]);
            return settings with { Beta1 = b1, Beta2 = b2 };
        }

        private double Fraction(JsonElement element, string path)
        {
            double value = Real(element, path, positive: false);
            return value <= 1 ? value : throw Fail(path, "expected a number in [0, 1]", element);
        }

        private T Choice<T>(JsonElement element, string path, params (string Name, T Value)[] choices)
        {
            var expected = $"one of: {string.Join(", ", choices.Select(c => $"\"{c.Name}\""))}";
            if (element.ValueKind != JsonValueKind.String) throw Fail(path, $"expected {expected}", element);
            var text = element.GetString();
            foreach (var (name, value) in choices)
                if (name == text) return value;
            throw Fail(path, $"expected {expected}", element);
        }

        private IReadOnlyList<int> ReadSeeds(JsonElement element)
        {
            var items = NonEmptyArray(element, "seeds", "a list of integer seeds, like [0, 1, 2]");
            var seeds = new List<int>();
            for (int i = 0; i < items.Count; i++)
            {
                int seed = Integer(items[i], $"seeds[{i}]", int.MinValue);
                if (seeds.Contains(seed))
                    throw Fail($"seeds[{i}]", $"expected distinct seeds; {seed} is already listed");
                seeds.Add(seed);
            }
            return seeds;
        }

        private IReadOnlyList<SweepArm> ReadArms(JsonElement element)
        {
            var items = NonEmptyArray(element, "arms", "a list of arms, each {\"loss\": {...}, \"uncertainty_set\": {...}}");
            var arms = new List<SweepArm>();
            for (int i = 0; i < items.Count; i++)
            {
                var path = $"arms[{i}]";
                var fields = Fields(items[i], path, ArmFields, "an arm");
                var loss = ReadPlugin(Required(fields, path, "loss"), $"{path}.loss");
                PluginSweep? risk = fields.TryGetValue("risk", out var r) ? ReadPlugin(r, $"{path}.risk") : null;
                var set = ReadPlugin(Required(fields, path, "uncertainty_set"), $"{path}.uncertainty_set");
                var name = fields.ContainsKey("name")
                    ? RequiredString(fields, path, "name")
                    : risk is null ? loss.Name : $"{loss.Name}/{risk.Name}";
                int previous = arms.FindIndex(a => a.Name == name);
                if (previous >= 0)
                    throw Fail(fields.ContainsKey("name") ? $"{path}.name" : path,
                        $"expected a distinct arm name; '{name}' is already the name of arms[{previous}] (set \"name\" to tell them apart)");
                arms.Add(new SweepArm(name, path, loss, risk, set));
            }
            return arms;
        }

        private PluginSweep ReadPlugin(JsonElement element, string path)
        {
            var fields = Fields(element, path, PluginFields, "a plugin");
            var name = RequiredString(fields, path, "name");
            var parameters = new List<ParameterSweep>();
            if (fields.TryGetValue("params", out var p))
                foreach (var (key, value) in FieldList(p, $"{path}.params", null, "parameters"))
                    parameters.Add(ReadParameter(key, value, $"{path}.params.{key}"));
            return new PluginSweep(name, path, parameters);
        }

        private ParameterSweep ReadParameter(string name, JsonElement value, string path)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Array:
                {
                    var items = NonEmptyArray(value, path, "a non-empty list of values");
                    var values = new List<SweepValue>();
                    for (int i = 0; i < items.Count; i++)
                    {
                        var v = Scalar(items[i], $"{path}[{i}]");
                        if (values.Any(x => x.Value == v.Value && x.IsBoolean == v.IsBoolean))
                            throw Fail(v.Path, $"expected distinct values; {v.Value} is already listed");
                        values.Add(v);
                    }
                    return new ParameterSweep(name, path, values, null);
                }
                case JsonValueKind.Object:
                    return new ParameterSweep(name, path, null, ReadRange(value, path));
                default:
                    return new ParameterSweep(name, path, [Scalar(value, path)], null);
            }
        }

        private ValueRange ReadRange(JsonElement element, string path)
        {
            var fields = Fields(element, path, RangeFields, "a range");
            double min = Real(Required(fields, path, "min"), $"{path}.min", positive: null);
            double max = Real(Required(fields, path, "max"), $"{path}.max", positive: null);
            int? count = fields.TryGetValue("count", out var c) ? Integer(c, $"{path}.count", 1) : null; // no count: continuous, for sampled search
            RangeScale? scale = null;
            if (fields.TryGetValue("scale", out var s))
                scale = s.ValueKind == JsonValueKind.String && s.GetString() is "linear" or "log"
                    ? (s.GetString() == "log" ? RangeScale.Log : RangeScale.Linear)
                    : throw Fail($"{path}.scale", "expected \"linear\" or \"log\"", s);
            if (min > max) throw Fail(path, $"expected min <= max; got min {Format(min)} > max {Format(max)}");
            if (count is null && min == max) throw Fail(path, $"expected min < max for a continuous range (no count); got min = max = {Format(min)}");
            if (count > 1 && min == max) throw Fail(path, $"expected min < max when count > 1 (or count 1); got min = max = {Format(min)}");
            if (scale == RangeScale.Log && min <= 0) throw Fail($"{path}.min", $"expected min > 0 on a log scale; got {Format(min)}");
            return new ValueRange(min, max, count, scale);
        }

        private SweepValue Scalar(JsonElement element, string path) => element.ValueKind switch
        {
            JsonValueKind.Number => new SweepValue(ParameterValue.Of(element.GetDouble()), false, path),
            JsonValueKind.String => new SweepValue(ParameterValue.Of(element.GetString()!), false, path),
            JsonValueKind.True => new SweepValue(ParameterValue.Of(true), true, path),
            JsonValueKind.False => new SweepValue(ParameterValue.Of(false), true, path),
            _ => throw Fail(path, "expected a number, a string, true/false, a list of those, or a range {\"min\", \"max\", \"count\", \"scale\"}", element),
        };

        // The members of an object, in document order; rejects non-objects, duplicate keys and (when allowed is given) unknown keys.
        private List<(string Name, JsonElement Value)> FieldList(JsonElement element, string path, string[]? allowed, string what)
        {
            if (element.ValueKind != JsonValueKind.Object)
                throw Fail(path == "" ? "$" : path, $"expected {what} (a JSON object)", element);
            var list = new List<(string, JsonElement)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                var child = path == "" ? property.Name : $"{path}.{property.Name}";
                if (allowed is not null && !allowed.Contains(property.Name))
                    throw Fail(child, $"unknown field; expected one of: {string.Join(", ", allowed)}");
                if (!seen.Add(property.Name))
                    throw Fail(child, "duplicate field; expected each field once");
                list.Add((property.Name, property.Value));
            }
            return list;
        }

        private Dictionary<string, JsonElement> Fields(JsonElement element, string path, string[] allowed, string what) =>
            FieldList(element, path, allowed, what).ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal);

        private JsonElement Required(Dictionary<string, JsonElement> fields, string path, string name) =>
            fields.TryGetValue(name, out var value) ? value
                : throw Fail(path == "" ? name : $"{path}.{name}", "missing required field");

        private string RequiredString(Dictionary<string, JsonElement> fields, string path, string name)
        {
            var value = Required(fields, path, name);
            var child = path == "" ? name : $"{path}.{name}";
            if (value.ValueKind != JsonValueKind.String) throw Fail(child, "expected a string", value);
            var text = value.GetString()!;
            return string.IsNullOrWhiteSpace(text) ? throw Fail(child, "expected a non-empty string") : text;
        }

        private List<JsonElement> NonEmptyArray(JsonElement element, string path, string what)
        {
            if (element.ValueKind != JsonValueKind.Array) throw Fail(path, $"expected {what}", element);
            var items = element.EnumerateArray().ToList();
            return items.Count == 0 ? throw Fail(path, $"expected {what}; got an empty list") : items;
        }

        private int Integer(JsonElement element, string path, int minimum)
        {
            var expected = minimum == int.MinValue ? "an integer" : $"an integer >= {minimum}";
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var value)) throw Fail(path, $"expected {expected}", element);
            return value < minimum ? throw Fail(path, $"expected {expected}", element) : value;
        }

        // positive: true → > 0, false → >= 0, null → any number.
        private double Real(JsonElement element, string path, bool? positive)
        {
            var expected = positive switch { true => "a number > 0", false => "a number >= 0", null => "a number" };
            if (element.ValueKind != JsonValueKind.Number) throw Fail(path, $"expected {expected}", element);
            double value = element.GetDouble();
            bool ok = double.IsFinite(value) && positive switch { true => value > 0, false => value >= 0, null => true };
            return ok ? value : throw Fail(path, $"expected {expected}", element);
        }

        private SweepSpecException Fail(string path, string expected, JsonElement? got = null) =>
            new(OneLine($"{source}: {path}: {expected}{(got is { } g ? $", got {Describe(g)}" : "")}."));

        private static string Describe(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => $"the string \"{element.GetString()}\"",
            JsonValueKind.Number => element.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null => "null",
            JsonValueKind.Array => "a list",
            JsonValueKind.Object => "an object",
            _ => element.ValueKind.ToString(),
        };

        internal static string Format(double x) => x.ToString("R", CultureInfo.InvariantCulture);

        public static string OneLine(string text) => text.ReplaceLineEndings(" ");
    }
}
