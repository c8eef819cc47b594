namespace RiskAlign.Framework.Tests;

/// <summary>
/// A fact that runs only when the environment variable it names is <c>1</c> (long runs kept out of CI); otherwise it is
/// reported as skipped, not passed. xunit 2.9 has no dynamic skip, so the attribute sets <see cref="FactAttribute.Skip"/>.
/// </summary>
public sealed class OptInFactAttribute : FactAttribute
{
    public OptInFactAttribute(string variable)
    {
        if (Environment.GetEnvironmentVariable(variable) != "1") Skip = $"set {variable}=1 to run it";
    }
}
