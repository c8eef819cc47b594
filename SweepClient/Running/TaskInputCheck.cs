using System.Text.Json;
using RiskAlign.Framework.Assets;
using RiskAlign.Framework.Data;
using RiskAlign.Framework.Tasks;
using RiskAlign.Framework.Training;
using RiskAlign.Framework.Models.Loading;
using RiskAlign.Framework.Models.Lora;

namespace RiskAlign.SweepClient.Running;

/// <summary>
/// Opens the files a sweep's tasks name before anything starts, so a missing, empty or malformed file is one line
/// and exit code 2 at <c>validate</c>/<c>run</c>/<c>launch</c> time instead of a failed trial minutes later:
/// model and tokenizer paths exist (a Hugging Face folder has a readable config.json), and the preference pairs of
/// <c>hh-rlhf</c>/<c>preference-pairs</c> parse and are enough for train_pairs + eval_pairs.
/// </summary>
public static class TaskInputCheck
{
    private static readonly string[] PathSettings = ["model", "tokenizer"];

    /// <summary>Checks every distinct task once. <paramref name="assetsFolder"/>: as <c>--assets</c> (null = the default search).</summary>
    /// <exception cref="InputCheckException">A file is missing, unreadable, malformed, or holds too few pairs.</exception>
    public static void Check(IEnumerable<TaskChoice> tasks, string? assetsFolder)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            if (seen.Add(task.Name + "|" + task.Settings)) Check(task, assetsFolder); // settings are the planner's normalized JSON
        }
    }

    private static void Check(TaskChoice task, string? assetsFolder)
    {
        var settings = TaskCatalog.Settings(task);
        foreach (var name in PathSettings)
        {
            // Every task that reads a model or tokenizer names the setting so (its settings record's Model/Tokenizer).
            var property = settings.GetType().GetProperty(char.ToUpperInvariant(name[0]) + name[1..]);
            if (property?.GetValue(settings) is string { Length: > 0 } value) CheckModelPath(task.Name, name, Resolve(value, assetsFolder));
        }
        if (settings is HhRlhfSettings { Data: { } data } pairs) CheckPairs(task.Name, pairs, data, assetsFolder);
    }

    /// <summary>Checks that <paramref name="lora"/>'s target modules name linear layers of each distinct task's model
    /// (loaded from the task's <c>model</c> setting on the CPU; a task that builds its own model is checked when its
    /// trial starts).</summary>
    /// <exception cref="InputCheckException">A target matches no linear layer; the message lists the layers there are.</exception>
    public static void CheckLora(IEnumerable<TaskChoice> tasks, LoraSettings? lora, string? assetsFolder)
    {
        if (lora is null) return;
        var spec = TrialExecutor.ToSpec(lora);
        foreach (var model in tasks.Select(t => (TaskCatalog.Settings(t).GetType().GetProperty("Model")?.GetValue(TaskCatalog.Settings(t)) as string, t.Name))
                     .Where(m => m.Item1 is { Length: > 0 }).Distinct())
        {
            using var loaded = ModelLoader.Load(Resolve(model.Item1!, assetsFolder));
            try
            {
                LoraModel.CheckTargets(loaded, spec);
            }
            catch (ArgumentException e)
            {
                throw new InputCheckException($"{e.Message} (task '{model.Name}', model '{model.Item1}')", e);
            }
        }
    }

    private static string Resolve(string path, string? assetsFolder) => AssetLocator.Resolve(path, assetsFolder);

    private static void CheckModelPath(string task, string setting, string path)
    {
        if (Directory.Exists(path))
        {
            if (setting != "model") return;
            var config = Path.Combine(path, "config.json");
            if (!File.Exists(config))
                throw new InputCheckException($"{config}: missing (task '{task}' setting 'model' names a Hugging Face folder, which needs config.json and *.safetensors).");
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(config));
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    throw new InputCheckException($"{config}:1: expected a JSON object (the model's config).");
            }
            catch (JsonException e)
            {
                throw new InputCheckException($"{config}:{(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message.Split(" Path:")[0]})", e);
            }
            catch (IOException e)
            {
                throw new InputCheckException($"{config}: cannot be read ({e.Message})", e);
            }
            return;
        }
        if (!File.Exists(path))
            throw new InputCheckException($"{path}: not found (task '{task}' setting '{setting}').");
        if (new FileInfo(path).Length == 0)
            throw new InputCheckException($"{path}: the file is empty (task '{task}' setting '{setting}').");
    }

    private static void CheckPairs(string task, HhRlhfSettings settings, IReadOnlyList<string> data, string? assetsFolder)
    {
        var files = data.Select(path => Resolve(path.Trim(), assetsFolder)).ToArray();
        foreach (var file in files)
        {
            if (!File.Exists(file)) throw new InputCheckException($"{file}: not found (task '{task}' setting 'data').");
            if (new FileInfo(file).Length == 0)
                throw new InputCheckException($"{file}: the file is empty; expected {settings.Format} preference pairs (task '{task}' setting 'data').");
        }
        IPreferencePairReader reader = settings.Format switch
        {
            "sharegpt" => new ShareGptDpoReader(files),
            "jsonl" => new PreferenceJsonlReader(files),
            _ => new HhRlhfReader(files),
        };
        int usable;
        try
        {
            usable = reader.Read().Count();
        }
        catch (DatasetFormatException e)
        {
            throw new InputCheckException(e.Message, e);
        }
        catch (IOException e)
        {
            throw new InputCheckException($"{string.Join(", ", files)}: cannot be read ({e.Message})", e);
        }
        int wanted = settings.TrainPairs + settings.EvalPairs;
        if (usable < wanted)
        {
            var stats = reader.Statistics;
            throw new InputCheckException(
                $"{string.Join(", ", files)}: {usable} usable pairs ({stats.Read} read, {stats.DroppedIdentical} dropped because chosen = rejected), " +
                $"but train_pairs + eval_pairs = {settings.TrainPairs} + {settings.EvalPairs} = {wanted} are needed (task '{task}').");
        }
    }
}
