namespace RiskAlign.Framework.Tokenizers;

/// <summary>Text ↔ token ids, as generation and the model loaders need it.</summary>
public interface ITextTokenizer
{
    /// <summary>Number of ids the tokenizer can produce.</summary>
    int VocabularySize { get; }

    /// <summary>Beginning-of-sequence id, or null when the tokenizer has none.</summary>
    int? BosId { get; }

    /// <summary>End-of-sequence id, or null when the tokenizer has none.</summary>
    int? EosId { get; }

    /// <summary>Whether transformers would put BOS before an encoded text (tokenizer_config.json's add_bos_token, else
    /// the tokenizer.json template, else the format's default: false for GPT-2 byte-level BPE, true for SentencePiece
    /// and llama2.c). Generation and prompt-based tasks pass this as <c>addBos</c>.</summary>
    bool AddBosToken { get; }

    /// <summary>Whether transformers would put EOS after an encoded text (tokenizer_config.json's add_eos_token; false by
    /// default for every format). RiskAlign appends it to complete texts only, responses and fine-tuning documents
    /// (<see cref="TextTokenizerExtensions.EncodeCompleteText"/>), never to a prompt that is to be continued.</summary>
    bool AddEosToken { get; }

    /// <summary>Ids that end generation (EOS, and for llama2.c models also BOS, which delimits their training stories).</summary>
    IReadOnlyList<int> StopIds { get; }

    /// <summary>Token ids of <paramref name="text"/>, preceded by BOS when asked and the tokenizer has one.</summary>
    IReadOnlyList<int> Encode(string text, bool addBos);

    /// <summary>Text of <paramref name="ids"/>; BOS and EOS are left out.</summary>
    string Decode(IEnumerable<int> ids);
}
