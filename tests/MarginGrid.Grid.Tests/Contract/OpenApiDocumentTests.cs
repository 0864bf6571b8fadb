using System.Text.Json.Nodes;
using MarginGrid.Grid.Tests.Support;
using MarginGrid.Tests.Shared;

namespace MarginGrid.Grid.Tests.Contract;

/// <summary>The OpenAPI document the silo serves: committed, complete, and the source of the committed client.</summary>
[Collection(GridCollection.Name)]
public sealed class OpenApiDocumentTests(GridApp app)
{
    private static readonly string[] Verbs = ["get", "post", "put", "delete", "patch"];

    [Fact]
    public async Task The_committed_document_is_the_one_the_silo_serves()
    {
        var served = ContractFiles.Normalize(await Served(app));
        var path = RepoPaths.Of("docs", "openapi.json");
        if (ContractFiles.Updating)
        {
            await File.WriteAllTextAsync(path, served);
        }

        Assert.True(File.Exists(path), "docs/openapi.json is missing: run the contract tests with MARGINGRID_UPDATE_CONTRACT=1.");
        Assert.Equal((await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n"), served);
    }

    [Fact]
    public async Task The_committed_client_is_what_NSwag_generates_from_the_committed_document()
    {
        var document = await File.ReadAllTextAsync(RepoPaths.Of("docs", "openapi.json"));
        var generated = await ContractFiles.GenerateClient(document);
        var path = RepoPaths.Of("tests", "MarginGrid.Grid.Tests", "Contract", "Generated", $"{ContractFiles.ClientClass}.cs");
        if (ContractFiles.Updating)
        {
            await File.WriteAllTextAsync(path, generated);
        }

        Assert.Equal((await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n"), generated);
    }

    [Fact]
    public async Task Every_operation_states_its_answer_its_problems_and_its_body_with_an_example()
    {
        var document = JsonNode.Parse(await Served(app))!;
        var schemas = document["components"]!["schemas"]!.AsObject();
        var operations = Operations(document).ToList();
        Assert.True(operations.Count >= 22, $"only {operations.Count} operations");
        foreach (var (method, path, operation) in operations)
        {
            var name = $"{method.ToUpperInvariant()} {path}";
            Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()), $"{name} has no summary");
            Assert.False(string.IsNullOrWhiteSpace(operation["operationId"]?.GetValue<string>()), $"{name} has no operationId");

            var responses = operation["responses"]!.AsObject();
            var ok = responses["200"]?["content"]?.AsObject();
            Assert.True(ok is { Count: > 0 }, $"{name} has no 200 body");
            Assert.True(responses.ContainsKey("401"), $"{name} does not say that it needs a key");
            foreach (var (status, response) in responses.Where(r => r.Key != "200"))
            {
                Assert.True(response!["content"]?["application/problem+json"]?["schema"] is not null, $"{name} {status} is not a problem document");
            }

            if (method is "post" or "put" && path != "/v1/admin/reconciliation")
            {
                var body = operation["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>();
                Assert.True(body is not null, $"{name} has no request body schema");
                var schema = schemas[body!.Split('/')[^1]]!;
                Assert.True(schema["example"] is not null, $"{name}: {body} has no example");
            }
        }
    }

    [Fact]
    public async Task Money_is_a_decimal_string_everywhere_in_the_document()
    {
        var document = await Served(app);

        // A decimal described as a JSON number would make a generated client lose digits through double.
        Assert.DoesNotContain("\"format\": \"double\"", document, StringComparison.Ordinal);
        Assert.Contains("\"format\": \"decimal\"", document, StringComparison.Ordinal);
        var problem = JsonNode.Parse(document)!["components"]!["schemas"]!["ProblemDetails"]!;
        Assert.NotNull(problem["properties"]!["code"]);
    }

    internal static IEnumerable<(string Method, string Path, JsonNode Operation)> Operations(JsonNode document)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject().Where(o => Verbs.Contains(o.Key)))
            {
                yield return (method, path, operation!);
            }
        }
    }

    internal static async Task<string> Served(GridApp app)
    {
        using var http = app.CreateClient();
        return await http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
    }
}
