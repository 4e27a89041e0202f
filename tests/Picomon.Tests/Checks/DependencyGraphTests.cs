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

    [Fact]
    public void Checks_connected_by_dependencies_either_way_share_one_component_named_by_its_least_id()
    {
        // web and db share the parent router; mail depends on dns, which depends on web: all one component.
        var graph = new DependencyGraph(Parents(("web", ["router"]), ("db", ["router"]), ("dns", ["web"]), ("mail", ["dns"]),
            ("z-child", ["y-parent"])));
        foreach (var id in new[] { "web", "db", "router", "dns", "mail" }) Assert.Equal("db", graph.ComponentOf(id));
        Assert.Equal("y-parent", graph.ComponentOf("z-child"));
        Assert.Equal("y-parent", graph.ComponentOf("y-parent"));
        Assert.Equal("alone", graph.ComponentOf("alone"));
    }
}
