namespace MarginGrid.Silo.Api.Requests;

/// <summary>The body of a deposit or withdrawal.</summary>
public sealed record TransferRequest(string? TransferId, string? Asset, decimal? Amount) : IValidatable
{
    public (string Code, string Detail)? Validate() => Required.Fields(("transferId", TransferId), ("asset", Asset), ("amount", Amount))
        ?? Required.Ids(("transferId", TransferId)) ?? Required.Asset(Asset);
}
