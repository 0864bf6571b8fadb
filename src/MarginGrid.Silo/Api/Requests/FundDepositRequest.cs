namespace MarginGrid.Silo.Api.Requests;

/// <summary>The body of <c>POST /v1/insurance-fund/{asset}/deposits</c>.</summary>
public sealed record FundDepositRequest(string? TransferId, decimal? Amount) : IValidatable
{
    public (string Code, string Detail)? Validate() => Required.Fields(("transferId", TransferId), ("amount", Amount)) ?? Required.Ids(("transferId", TransferId));
}
