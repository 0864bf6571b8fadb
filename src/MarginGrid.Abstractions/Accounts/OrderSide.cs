namespace MarginGrid.Abstractions.Accounts;

/// <summary>The side of a fill or an order (<c>buy</c> or <c>sell</c> on the HTTP API).</summary>
[GenerateSerializer, Alias("mg.OrderSide")]
public enum OrderSide
{
    Buy = 0,
    Sell = 1,
}
