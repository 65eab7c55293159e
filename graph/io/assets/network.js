/* The graph renderer shared by the app's component and the standalone HTML page.
 *
 * KGView.mount(container, spec, opts) draws a spec made by graph.io.view.view_spec
 * with vis-network (which must be loaded first) and returns a controller with
 * update(spec, opts) and destroy().  Every text that comes from the data is set
 * with textContent or drawn on the canvas, never parsed as HTML.
 *
 * Layout: nodes sit on a grid of cells as wide as a shortened label, so labels
 * never overlap at the default zoom; a node joins at the free cell nearest its
 * anchor (the node it was expanded from, or its parent in a breadth-first walk
 * from the focus), and a node already placed never moves: expanding a node adds
 * its neighbours around it and leaves the rest where it was.  Positions are kept
 * per view name in KGView.memory, so a redraw of the same view keeps them too.
 */
(function (root) {
  "use strict";

  var CELL_W = 180;
  var CELL_H = 58;
  var FONT = 14;
  var MIN_LABEL_PX = 12;
  var MIN_SCALE = (MIN_LABEL_PX + 0.05) / FONT;
  var MAX_LABEL = 24;
  var INSIDE = { box: true, ellipse: true, database: true, circle: true, text: true };
  var GLYPHS = {
    star: "\u2605", dot: "\u25cf", square: "\u25a0", triangle: "\u25b2", diamond: "\u25c6",
    triangleDown: "\u25bc", hexagon: "\u2b22", box: "\u25ac", ellipse: "\u2b2c",
    database: "\u26c1", circle: "\u25ef", text: "T",
  };
  var OPTIONS = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 1 },
    physics: { enabled: false },
    interaction: { hover: true, tooltipDelay: 120, navigationButtons: false, keyboard: false,
                   multiselect: false, selectConnectedEdges: false },
    nodes: {
      size: 14,
      borderWidth: 1,
      font: { size: FONT, face: "sans-serif", color: "#222222",
              background: "rgba(255,255,255,0.85)" },
      scaling: { label: { drawThreshold: MIN_LABEL_PX } },
    },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.5 } },
      font: { size: 12, align: "middle", strokeWidth: 3, color: "#333333" },
      scaling: { label: { drawThreshold: MIN_LABEL_PX } },
      smooth: false,
      color: { inherit: false },
      selectionWidth: 2,
      hoverWidth: 1,
    },
  };

  function shortLabel(text, max) {
    text = String(text === undefined || text === null ? "" : text);
    max = max || MAX_LABEL;
    return text.length > max ? text.slice(0, max - 1).replace(/\s+$/, "") + "\u2026" : text;
  }

  function tip(text) {
    if (text === undefined || text === null || text === "") return undefined;
    var el = document.createElement("div");
    el.className = "kg-tip";
    el.textContent = String(text);
    return el;
  }

  function safeColour(value, fallback) {
    var text = String(value || "");
    return /^#[0-9a-fA-F]{3,8}$/.test(text) ? text : fallback;
  }

  // -- the grid ----------------------------------------------------------------------
  function Grid(aspect) {
    this.used = {};
    this.k = Math.min(Math.max(aspect || 1.3, 0.8), 2.2);
  }
  Grid.prototype.point = function (i, j) {
    return { x: i * CELL_W + (j & 1 ? CELL_W / 2 : 0), y: j * CELL_H };
  };
  Grid.prototype.cellOf = function (p) {
    var j = Math.round(p.y / CELL_H);
    var i = Math.round((p.x - (j & 1 ? CELL_W / 2 : 0)) / CELL_W);
    return [i, j];
  };
  Grid.prototype.take = function (p) {
    var c = this.cellOf(p);
    this.used[c[0] + "," + c[1]] = true;
  };
  Grid.prototype.free = function (i, j) { return !this.used[i + "," + j]; };
  Grid.prototype.dist = function (a, b) {
    var dx = (a.x - b.x) / this.k;
    var dy = a.y - b.y;
    return Math.sqrt(dx * dx + dy * dy);
  };
  /* The free cell nearest `target`; cells nearer `away` than the target cost more. */
  Grid.prototype.nearest = function (target, away) {
    var c = this.cellOf(target);
    var best = null;
    var bestScore = Infinity;
    var awayDist = away ? this.dist(target, away) : 0;
    for (var r = 0; r < 400; r++) {
      var bound = Math.max(0, r - 1) * Math.min(CELL_W / this.k, CELL_H);
      if (best && bound > bestScore) break;
      for (var di = -r; di <= r; di++) {
        for (var dj = -r; dj <= r; dj++) {
          if (Math.max(Math.abs(di), Math.abs(dj)) !== r) continue;
          var i = c[0] + di;
          var j = c[1] + dj;
          if (!this.free(i, j)) continue;
          var p = this.point(i, j);
          var score = this.dist(p, target);
          if (away) score += Math.max(0, awayDist - this.dist(p, away)) * 1.5;
          if (score < bestScore) { bestScore = score; best = p; }
        }
      }
    }
    this.take(best);
    return best;
  };

  // -- layouts ----------------------------------------------------------------------------
  function adjacency(spec) {
    var adj = {};
    (spec.nodes || []).forEach(function (n) { adj[n.id] = []; });
    (spec.edges || []).forEach(function (e) {
      if (adj[e.from] && adj[e.to]) { adj[e.from].push(e.to); adj[e.to].push(e.from); }
    });
    return adj;
  }

  function classOrder(spec) {
    var order = {};
    (spec.legend || []).forEach(function (item, i) { order[item.type] = i; });
    return order;
  }

  /* Place each group of nodes around its anchor, in angular order by class then label. */
  function placeGroup(grid, pos, members, anchor, away, order) {
    var cells = members.map(function () { return grid.nearest(pos[anchor], away); });
    var centre = pos[anchor];
    cells.sort(function (a, b) {
      return Math.atan2(a.y - centre.y, a.x - centre.x) - Math.atan2(b.y - centre.y, b.x - centre.x);
    });
    members.sort(function (a, b) {
      var ca = order[a.kgClass] === undefined ? 99 : order[a.kgClass];
      var cb = order[b.kgClass] === undefined ? 99 : order[b.kgClass];
      return ca - cb || String(a.label).localeCompare(String(b.label));
    });
    members.forEach(function (n, i) { pos[n.id] = cells[i]; });
  }

  function layoutTree(spec, grid, pos) {
    var nodes = spec.nodes || [];
    var byId = {};
    nodes.forEach(function (n) { byId[n.id] = n; });
    var adj = adjacency(spec);
    var degree = function (id) { return adj[id] ? adj[id].length : 0; };
    var order = classOrder(spec);
    var parent = {};
    var queue = [];
    var seen = {};
    var ranked = nodes.slice().sort(function (a, b) {
      return (a.rank || 0) - (b.rank || 0) || degree(b.id) - degree(a.id);
    });
    var roots = [];
    if (spec.focus && byId[spec.focus]) roots.push(spec.focus);
    Object.keys(pos).forEach(function (id) { if (byId[id]) roots.push(id); });
    ranked.forEach(function (n) { roots.push(n.id); });
    var sequence = [];
    roots.forEach(function (start) {
      if (seen[start]) return;
      seen[start] = true;
      queue.push(start);
      sequence.push(start);
      while (queue.length) {
        var id = queue.shift();
        var next = adj[id].slice().sort(function (a, b) { return degree(b) - degree(a); });
        next.forEach(function (other) {
          if (seen[other]) return;
          seen[other] = true;
          parent[other] = id;
          queue.push(other);
          sequence.push(other);
        });
      }
    });
    // A node's anchor: the one it was expanded from, else its parent in the walk.
    var groups = [];
    var groupOf = {};
    sequence.forEach(function (id) {
      if (pos[id]) return;
      var n = byId[id];
      var anchor = n.anchor && byId[n.anchor] ? n.anchor : parent[id];
      if (!anchor) {
        pos[id] = grid.nearest({ x: 0, y: 0 }, null);
        return;
      }
      if (!groupOf[anchor]) { groupOf[anchor] = []; groups.push(anchor); }
      groupOf[anchor].push(n);
    });
    var pending = groups.slice();
    var guard = 0;
    while (pending.length && guard++ < 100000) {
      var anchor = pending.shift();
      if (!pos[anchor]) { pending.push(anchor); continue; }
      var grand = byId[anchor] && byId[anchor].anchor ? byId[anchor].anchor : parent[anchor];
      placeGroup(grid, pos, groupOf[anchor], anchor, grand ? pos[grand] : null, order);
    }
  }

  function layoutPaths(spec, grid, pos) {
    var paths = spec.path_nodes || [];
    var longest = 1;
    paths.forEach(function (p) { longest = Math.max(longest, p.length - 1); });
    paths.forEach(function (ids, row) {
      ids.forEach(function (id, t) {
        if (pos[id]) return;
        var column = ids.length > 1 ? Math.round((t / (ids.length - 1)) * longest) : 0;
        var target = { x: column * CELL_W * 1.2, y: row * CELL_H * 1.6 };
        pos[id] = grid.nearest(target, null);
      });
    });
    layoutTree(spec, grid, pos);
  }

  function layout(spec, memory, aspect) {
    // Positions are kept while the view grows around the same focus; a new focus (or a
    // view without one) is laid out afresh, the same way every time.
    if (!spec.focus || memory.focus !== spec.focus) {
      memory.pos = {};
      memory.view = null;
      memory.focus = spec.focus || null;
    }
    var grid = new Grid(aspect);
    var pos = {};
    var ids = {};
    (spec.nodes || []).forEach(function (n) { ids[n.id] = true; });
    Object.keys(memory.pos || {}).forEach(function (id) {
      if (!ids[id]) return;
      pos[id] = memory.pos[id];
      grid.take(pos[id]);
    });
    if (spec.focus && ids[spec.focus] && !pos[spec.focus] && !Object.keys(pos).length) {
      pos[spec.focus] = grid.nearest({ x: 0, y: 0 }, null);
      // The focus is drawn larger, its label lower: keep the cells under it free.
      grid.take({ x: -CELL_W / 2, y: CELL_H });
      grid.take({ x: CELL_W / 2, y: CELL_H });
    }
    if (spec.layout === "paths") layoutPaths(spec, grid, pos);
    else layoutTree(spec, grid, pos);
    memory.pos = pos;
    return pos;
  }

  // -- styling ------------------------------------------------------------------------------
  function nodeItems(spec, pos, state) {
    var selected = state.selectedPath;
    var onSelected = {};
    if (selected !== null && selected !== undefined && (spec.path_nodes || [])[selected]) {
      spec.path_nodes[selected].forEach(function (id) { onSelected[id] = true; });
    }
    var dim = selected !== null && selected !== undefined && spec.path_nodes &&
      spec.path_nodes[selected];
    return (spec.nodes || []).map(function (n) {
      // A shape with its label inside must stay within its cell.
      var inside = INSIDE[n.shape];
      var main = n.id === state.focus || n.id === spec.focus;
      var label = shortLabel(n.label, main && !inside ? 40 : inside ? 18 : MAX_LABEL);
      if (n.end === "start") label += "\n(start)";
      if (n.end === "end") label += "\n(end)";
      var item = {
        id: n.id,
        label: label,
        title: tip(n.title),
        shape: n.shape,
        color: n.color,
        borderWidth: n.borderWidth || 1,
        x: pos[n.id].x,
        y: pos[n.id].y,
        hidden: !!state.hiddenClasses[n.kgClass] || !!state.removed[n.id],
        kgClass: n.kgClass,
        font: Object.assign({}, n.font || {}),
      };
      if (n.size) item.size = n.size;
      if (n.id === state.focus || n.end) {
        item.font.size = FONT + 2;
        item.font.face = "sans-serif";
        item.font.color = "#000000";
      }
      if (dim && !onSelected[n.id]) item.opacity = 0.3;
      return item;
    });
  }

  function edgeItems(spec, state) {
    var selected = state.selectedPath;
    var onSelected = {};
    var anySelected = selected !== null && selected !== undefined && (spec.paths || [])[selected];
    if (anySelected) spec.paths[selected].forEach(function (id) { onSelected[id] = true; });
    var few = (spec.edges || []).length <= 24;
    return (spec.edges || []).map(function (e) {
      var item = {
        id: e.id,
        from: e.from,
        to: e.to,
        label: few || onSelected[e.id] ? e.label : undefined,
        fullLabel: e.label,
        title: tip(e.title),
        dashes: !!e.dashes,
        path: !!e.path,
        width: e.width || 1.5,
        color: e.color,
      };
      if (anySelected) {
        if (onSelected[e.id]) {
          item.width = 5;
          item.color = { color: "#000000", highlight: "#000000" };
          item.label = e.label;
        } else {
          item.width = 1;
          item.color = { color: "#D0D0D0", highlight: "#707070" };
        }
      }
      return item;
    });
  }

  // -- the legend ----------------------------------------------------------------------------
  function svgLine(style) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "34");
    svg.setAttribute("height", "12");
    svg.setAttribute("aria-hidden", "true");
    var line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "2");
    line.setAttribute("y1", "6");
    line.setAttribute("x2", "32");
    line.setAttribute("y2", "6");
    line.setAttribute("stroke", safeColour(style.color, "#707070"));
    line.setAttribute("stroke-width", String(Number(style.width) || 1.5));
    if (style.dashes) line.setAttribute("stroke-dasharray", "5 4");
    svg.append(line);
    return svg;
  }

  function drawLegend(box, spec, state, onToggle) {
    box.textContent = "";
    (spec.legend || []).forEach(function (item) {
      var entry = document.createElement("button");
      entry.type = "button";
      entry.className = "kg-legend-item";
      entry.dataset.kgClass = String(item.type);
      var hidden = !!state.hiddenClasses[item.type];
      entry.setAttribute("aria-pressed", hidden ? "false" : "true");
      entry.title = (hidden ? "Show " : "Hide ") + String(item.label) + " (click)";
      var glyph = document.createElement("span");
      glyph.className = "kg-glyph";
      glyph.textContent = GLYPHS[item.shape] || GLYPHS.dot;
      glyph.style.color = safeColour(item.color, "#999999");
      var name = document.createElement("span");
      name.textContent = String(item.label) + (item.count ? " (" + item.count + ")" : "");
      entry.append(glyph, name);
      entry.addEventListener("click", function () { onToggle(item.type); });
      box.append(entry);
    });
    (spec.edge_legend || []).forEach(function (item) {
      var entry = document.createElement("span");
      entry.className = "kg-legend-edge";
      var name = document.createElement("span");
      name.textContent = String(item.label);
      entry.append(svgLine(item), name);
      box.append(entry);
    });
  }

  // -- the actions bar ------------------------------------------------------------------------
  function drawActions(bar, spec, state, opts, network) {
    bar.textContent = "";
    var id = state.focus;
    var node = (spec.nodes || []).find(function (n) { return n.id === id; });
    if (!node || !opts.actions || !opts.actions.length) { bar.hidden = true; return; }
    bar.hidden = false;
    var name = document.createElement("strong");
    name.textContent = shortLabel(node.label, 32);
    bar.append(name);
    opts.actions.forEach(function (action) {
      if (action.when && !action.when(node)) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "kg-action";
      button.dataset.action = action.kind;
      button.textContent = typeof action.label === "function" ? action.label(node) : action.label;
      button.title = action.help || "";
      button.addEventListener("click", function () { action.run(node.id, network); });
      bar.append(button);
    });
  }

  // -- mounting -------------------------------------------------------------------------------
  function canvasHeight(canvas, wanted) {
    if (typeof wanted === "number" && wanted > 0) return wanted;
    var top = canvas.getBoundingClientRect().top + (window.scrollY || 0);
    var room = (window.innerHeight || 900) - Math.max(0, Math.min(top, 400)) - 70;
    return Math.max(420, Math.round(room));
  }

  function mount(container, spec, opts) {
    opts = opts || {};
    var vis = root.vis;
    var name = String(opts.name || "graph");
    KGView.memory[name] = KGView.memory[name] || {};
    var memory = KGView.memory[name];
    var rootEl = document.createElement("div");
    rootEl.className = "kg-root";
    var bar = document.createElement("div");
    bar.className = "kg-actions";
    bar.hidden = true;
    var canvas = document.createElement("div");
    canvas.className = "kg-canvas";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", "Graph drawing; the tables list the same nodes and edges");
    var legend = document.createElement("div");
    legend.className = "kg-legend";
    rootEl.append(bar, canvas, legend);
    container.append(rootEl);
    if (!vis) {
      canvas.textContent = "The drawing could not be shown; the tables list every node and edge.";
      return { update: function () {}, destroy: function () { rootEl.remove(); } };
    }
    canvas.style.height = canvasHeight(canvas, opts.height) + "px";
    var state = {
      focus: opts.focus || spec.focus || null,
      selectedPath: opts.selectedPath === undefined ? null : opts.selectedPath,
      hiddenClasses: memory.hiddenClasses || {},
      removed: {},
    };
    memory.hiddenClasses = state.hiddenClasses;
    var nodes = new vis.DataSet([]);
    var edges = new vis.DataSet([]);
    var network = new vis.Network(canvas, { nodes: nodes, edges: edges },
      Object.assign({}, OPTIONS, spec.options || {}, { physics: { enabled: false } }));
    var current = spec;

    function aspect() {
      var box = canvas.getBoundingClientRect();
      return box.height > 0 ? box.width / box.height : 1.3;
    }

    function render(fitView) {
      var previous = {};
      nodes.getIds().forEach(function (id) { previous[id] = true; });
      var pos = layout(current, memory, aspect());
      var nodeList = nodeItems(current, pos, state);
      var keep = {};
      nodeList.forEach(function (n) { keep[n.id] = true; });
      nodes.remove(nodes.getIds().filter(function (id) { return !keep[id]; }));
      edges.clear();
      nodes.update(nodeList);
      edges.add(edgeItems(current, state));
      drawLegend(legend, current, state, toggleClass);
      drawActions(bar, current, state, opts, network);
      var added = nodeList.filter(function (n) { return !previous[n.id]; }).map(function (n) {
        return n.id;
      });
      if (state.focus && nodes.get(state.focus)) network.selectNodes([state.focus]);
      else network.unselectAll();
      if (fitView || !memory.view) fit();
      else if (added.length) reveal(added);
    }

    function fit() {
      var visible = nodes.getIds({ filter: function (n) { return !n.hidden; } });
      if (!visible.length) return;
      // As much as fits with labels of 12 px, centred on the whole drawing.
      network.fit({ nodes: visible, minZoomLevel: MIN_SCALE, maxZoomLevel: 1.15 });
      remember();
    }

    /* Show what was added without moving anything: pan and zoom out no further than 12 px labels. */
    function reveal(ids) {
      var view = memory.view;
      network.moveTo({ position: view.position, scale: view.scale });
      var box = canvas.getBoundingClientRect();
      var outside = ids.some(function (id) {
        var p = network.canvasToDOM(network.getPosition(id));
        return p.x < 20 || p.y < 20 || p.x > box.width - 20 || p.y > box.height - 20;
      });
      if (outside) fit();
    }

    function remember() {
      memory.view = { position: network.getViewPosition(), scale: network.getScale() };
    }

    function toggleClass(type) {
      state.hiddenClasses[type] = !state.hiddenClasses[type];
      nodes.update(nodes.get().filter(function (n) { return n.kgClass === type; }).map(
        function (n) { return { id: n.id, hidden: !!state.hiddenClasses[type] || !!state.removed[n.id] }; }
      ));
      drawLegend(legend, current, state, toggleClass);
    }

    network.on("click", function (event) {
      if (event.nodes && event.nodes.length) {
        var id = String(event.nodes[0]);
        state.focus = id;
        drawActions(bar, current, state, opts, network);
        if (opts.onSelect) opts.onSelect(id);
      }
    });
    network.on("doubleClick", function (event) {
      if (event.nodes && event.nodes.length && opts.onExpand) opts.onExpand(String(event.nodes[0]));
    });
    network.on("dragEnd", function (event) {
      (event.nodes || []).forEach(function (id) { memory.pos[id] = network.getPosition(id); });
      remember();
    });
    network.on("zoom", remember);
    // vis-network scales the view with the canvas's width: a narrower canvas (a sidebar
    // opened, a window made smaller) would hide every label under 12 px. Keep them.
    var resized = null;
    network.on("resize", function () {
      clearTimeout(resized);  // vis-network sets the new scale after telling of the resize
      resized = setTimeout(function () {
        if (network.getScale() < MIN_SCALE) {
          network.moveTo({ scale: MIN_SCALE });
          remember();
        }
      }, 0);
    });
    network.on("hoverEdge", function (event) {
      var e = edges.get(event.edge);
      if (e && !e.label) edges.update({ id: e.id, label: e.fullLabel, hoverLabel: true });
    });
    network.on("blurEdge", function (event) {
      var e = edges.get(event.edge);
      if (e && e.hoverLabel) edges.update({ id: e.id, label: undefined, hoverLabel: false });
    });

    render(!memory.view || opts.fit);

    var controller = {
      network: network,
      spec: function () { return current; },
      state: state,
      update: function (next, nextOpts) {
        var fitView = nextOpts && nextOpts.fit;
        opts = Object.assign(opts, nextOpts || {});
        current = next;
        state.focus = opts.focus || next.focus || null;
        state.selectedPath = opts.selectedPath === undefined ? null : opts.selectedPath;
        render(fitView);
      },
      hide: function (id) {
        state.removed[id] = true;
        nodes.update({ id: id, hidden: true });
      },
      positions: function () { return network.getPositions(); },
      destroy: function () { network.destroy(); rootEl.remove(); },
    };
    root.__kgNetworks = root.__kgNetworks || {};
    root.__kgNetworks[name] = network;
    root.__kgViews = root.__kgViews || {};
    root.__kgViews[name] = controller;
    return controller;
  }

  var KGView = { mount: mount, shortLabel: shortLabel, memory: {}, MIN_SCALE: MIN_SCALE };
  root.KGView = KGView;
})(typeof globalThis !== "undefined" ? globalThis : window);
