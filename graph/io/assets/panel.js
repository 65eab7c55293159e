/*
 * The node panel beside a drawing, shared by the app and the standalone page.
 *
 * KGPanel.draw(element, data, handlers) draws a panel made by graph.io.panel.panel_data
 * (handlers: onOpen(id) for a relation's node; pending: the complete panel is on its way);
 * KGPanel.fromView(spec, id) makes a first one at once from a view's own data (the node's
 * label, class, definition and the relations drawn), so that a click is answered without
 * waiting for the complete panel. Every value is set as text, never parsed as markup;
 * links open only http(s) addresses.
 */
(function (root) {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function isWebAddress(url) {
    return /^https?:\/\//i.test(String(url || ""));
  }

  function relationGroup(group, many, handlers) {
    var details = el("details", "kg-panel-group");
    details.open = !many;
    var arrow = group.direction === "in" ? "\u2190 " : "\u2192 ";
    details.append(el("summary", null, arrow + group.label + " (" + group.total + ")"));
    var list = el("ul", "kg-panel-list");
    group.items.forEach(function (item) {
      var row = el("li");
      var open = el("button", "kg-panel-node", item.label + " \u00b7 " + item.kind);
      open.type = "button";
      open.title = "Explore from " + item.label;
      open.addEventListener("click", function () {
        if (handlers && handlers.onOpen) handlers.onOpen(item.id);
      });
      row.append(open);
      if (item.evidence) row.append(el("div", "kg-panel-note", item.evidence));
      list.append(row);
    });
    details.append(list);
    if (group.total > group.items.length) {
      details.append(el("div", "kg-panel-note", "\u2026 and " +
        (group.total - group.items.length).toLocaleString("en") +
        " more: expand the node in the graph, or list them with the table view."));
    }
    return details;
  }

  function draw(element, data, handlers) {
    element.replaceChildren();
    if (!data) return;
    element.setAttribute("aria-busy", data.complete ? "false" : "true");
    element.append(el("h3", "kg-panel-title", data.label));
    var kind = data.kind + (data.classes && data.classes.length ? " (" + data.classes.join(", ") + ")" : "");
    element.append(el("div", "kg-panel-note", kind));
    if (data.aliases && data.aliases.length) {
      var aliases = el("p");
      aliases.append(el("strong", null, "Also called: "), document.createTextNode(data.aliases.join(", ")));
      element.append(aliases);
    }
    if (data.definition) element.append(el("p", "kg-panel-definition", data.definition));
    (data.attributes || []).forEach(function (pair) {
      var line = el("p");
      line.append(el("strong", null, pair[0] + ": "), document.createTextNode(pair[1].join(", ")));
      element.append(line);
    });
    if (data.mentioned) element.append(el("div", "kg-panel-note", data.mentioned));
    var links = (data.links || []).filter(function (l) { return isWebAddress(l.url); });
    if (links.length) {
      element.append(el("p", "kg-panel-heading", "Linked concepts"));
      links.forEach(function (link) {
        var a = el("a", "kg-panel-link", link.label + " (" + link.kind + ")");
        a.href = link.url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        element.append(a);
      });
    }
    var groups = data.groups || [];
    var heading = data.complete ? "Relations (" + data.relations + ")"
      : "Relations in this view (" + data.relations + ")" +
        (handlers && handlers.pending ? "; reading them all\u2026" : "");
    element.append(el("p", "kg-panel-heading", heading));
    groups.forEach(function (group) {
      element.append(relationGroup(group, groups.length > 4, handlers));
    });
    if (data.complete) element.append(el("code", "kg-panel-iri", data.id));
  }

  function evidenceOf(edge) {
    if (edge.inferred) return "inferred";
    var lines = String(edge.title || "").split("\n");
    var at = lines.indexOf("Sources:");
    return at < 0 ? "" : lines.slice(at + 1).map(function (l) { return l.replace(/^\u2022 /, ""); }).join("; ");
  }

  function fromView(spec, id) {
    var nodes = {};
    (spec.nodes || []).forEach(function (n) { nodes[n.id] = n; });
    var node = nodes[id];
    if (!node) return null;
    var groups = {};
    var count = 0;
    (spec.edges || []).forEach(function (edge) {
      var direction = edge.from === id ? "out" : edge.to === id ? "in" : null;
      if (!direction) return;
      var other = nodes[direction === "out" ? edge.to : edge.from];
      if (!other) return;
      count += 1;
      var key = edge.label + "\u0000" + direction;
      groups[key] = groups[key] || { label: edge.label, direction: direction, total: 0, items: [] };
      groups[key].total += 1;
      groups[key].items.push({
        id: other.id, label: other.label,
        kind: String(other.kind || "").toLowerCase(),
        evidence: evidenceOf(edge),
      });
    });
    var ordered = Object.keys(groups).sort().map(function (k) { return groups[k]; });
    return {
      id: id, label: node.label,
      kind: String(node.kind || ""),
      classes: [], aliases: [], definition: node.definition || "", attributes: [], mentioned: "",
      links: [], relations: count, groups: ordered, complete: false,
    };
  }

  root.KGPanel = { draw: draw, fromView: fromView };
})(typeof globalThis !== "undefined" ? globalThis : window);
