using System.Text.Json;

namespace MarginGrid.Deploy.Tests.Support;

/// <summary>The validator's exit code and printed lines, and its JSON summary of the last artifact it checked.</summary>
public sealed record ValidationResult(int ExitCode, string Output, JsonElement Summary)
{
    public void AssertPassed() => Assert.True(ExitCode == 0, Output);

    public void AssertFailedWith(string expected)
    {
        Assert.True(ExitCode == 1, $"expected the validation to fail (exit 1), it exited {ExitCode}:\n{Output}");
        Assert.Contains(expected, Output, StringComparison.Ordinal);
    }
}
