using MarginGrid.Abstractions.Accounts;

namespace MarginGrid.Silo.Api.Requests;

/// <summary>The body of <c>PUT /v1/accounts/{id}/positions/{symbol}/settings</c>.</summary>
public sealed record SettingsRequest(string? MarginMode, int? Leverage) : IValidatable
{
    public (string Code, string Detail)? Validate() => Required.Fields(("marginMode", MarginMode), ("leverage", Leverage)) ?? Required.MarginMode(MarginMode);

    /// <summary>The margin mode, once <see cref="Validate"/> has passed.</summary>
    public PositionMarginMode ParsedMarginMode() =>
        ContractWords.TryParse(MarginMode, out PositionMarginMode mode) ? mode : throw new InvalidOperationException("The body was not validated.");
}
