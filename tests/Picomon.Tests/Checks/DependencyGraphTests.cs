using Picomon.Checks;

namespace Picomon.Tests.Checks;

public class DependencyGraphTests
{
    private static Dictionary<string, IReadOnlyList<string>> Parents(params (string Child, string[] Parents)[] edges) =>
        edges.ToDictionary(e => e.Child, e => (IReadOnlyList<string>)e.Parents, StringComparer.Ordinal);

    [Fact]
    public void Children_are_listed_by_parent_in_id_order()
    {
        var graph = new DependencyGraph(Parents(("web", ["router", "dns"]), ("db", ["router"]), ("dns", [])));
        Assert.Equal(["db", "web"], graph.ChildrenOf("router"));
        Assert.Equal(["web"], graph.ChildrenOf("dns"));
        Assert.Empty(graph.ChildrenOf("web"));
        Assert.Equal(["router", "dns"], graph.ParentsOf("web"));
        Assert.Equal(2, graph.DependentCount);
    }

    [Fact]
    public void A_cycle_is_found_with_its_path_and_a_diamond_is_none()
    {
        Assert.Null(DependencyGraph.FindCycle(Parents(("a", ["b", "c"]), ("b", ["d"]), ("c", ["d"])), ["a", "b", "c", "d"]));
        Assert.Equal(["a", "b", "c", "a"],
            DependencyGraph.FindCycle(Parents(("a", ["b"]), ("b", ["c"]), ("c", ["a"]), ("x", ["a"])), ["a", "b", "c", "x"]));
        Assert.Equal(["b", "c", "b"],
            DependencyGraph.FindCycle(Parents(("a", ["b"]), ("b", ["c"]), ("c", ["b"])), ["a", "b", "c"]));
    }
}
