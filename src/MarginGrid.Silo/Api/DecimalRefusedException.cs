using System.Text.Json;

namespace MarginGrid.Silo.Api;

/// <summary>
/// A decimal string the grid refuses as a number (more significant digits than the bound, or far too long),
/// rather than as malformed JSON: it carries the stable code of the 422 it becomes.
/// </summary>
public sealed class DecimalRefusedException(string code, string message) : JsonException(message)
{
    public string Code { get; } = code;
}
