namespace RiskAlign.Abstractions;

/// <summary>The type of a plugin hyperparameter.</summary>
public enum ParameterKind
{
    /// <summary>A real number, optionally bounded.</summary>
    Real,
    /// <summary>A whole number, optionally bounded.</summary>
    Integer,
    /// <summary>One of a fixed set of names.</summary>
    Choice,
    /// <summary>true or false.</summary>
    Boolean,
}
