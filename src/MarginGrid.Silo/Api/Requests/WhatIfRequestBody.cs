using MarginGrid.Abstractions.Accounts;
using MarginGrid.Domain.Common;

namespace MarginGrid.Silo.Api.Requests;

/// <summary>
/// The body of <c>POST /v1/accounts/{id}/what-if</c>: fills in order, and marks and shocks by symbol. Every part
/// is optional. The shape is checked here; the rules (prices on the tick, a symbol not in both, shocks above −1)
/// are the grain's.
/// </summary>
public sealed record WhatIfRequestBody(
    IReadOnlyList<HypotheticalFillRequest?>? Fills = null, Dictionary<string, decimal>? Marks = null, Dictionary<string, decimal>? Shocks = null)
    : IValidatable
{
    public (string Code, string Detail)? Validate()
    {
        var fills = Fills ?? [];
        for (var i = 0; i < fills.Count; i++)
        {
            if ((fills[i] is { } fill ? fill.Validate(i) : ("missing_field", $"'fills[{i}]' is required.")) is { } problem)
            {
                return problem;
            }
        }

        var symbols = fills.Select(f => f!.Symbol!).Concat(Marks?.Keys.AsEnumerable() ?? []).Concat(Shocks?.Keys.AsEnumerable() ?? []);
        return symbols.FirstOrDefault(s => !Identifiers.IsSymbol(s)) is { } bad
            ? ("invalid_symbol", $"'{bad}' is not a symbol: 1 to 32 letters, digits, '-' or '_'.")
            : null;
    }

    public WhatIfRequest ToRequest() => new(
        [.. (Fills ?? []).Select(f => f!.ToFill())],
        [.. (Marks ?? []).Select(m => new MarkOverride(m.Key, m.Value))],
        [.. (Shocks ?? []).Select(s => new MarkShock(s.Key, s.Value))]);
}
