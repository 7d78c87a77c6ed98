// The link chart: draws what /graph/expand/<kind>/<id>/ returns (already scoped by the access
// policy on the server), expands nodes on request, filters by link type and date, shows each
// link's provenance, and exports a PNG. No inline script or style (CSP): loaded from static.
// Text from the server is only ever set with textContent, never as HTML.
(function () {
  "use strict";

  var container = document.getElementById("linkchart");
  if (!container || typeof window.cytoscape !== "function") {
    return;
  }
  var base = container.getAttribute("data-expand-base");
  var rootId = container.getAttribute("data-root");
  var statusLine = document.getElementById("linkchart-status");
  var details = document.getElementById("linkchart-details");
  var nodeList = document.getElementById("linkchart-nodes");
  var filters = document.getElementById("linkchart-filters");
  var exportButton = document.getElementById("linkchart-export");
  var auditForm = document.getElementById("linkchart-audit");
  var expanded = new Set();

  var COLOURS = {
    child: "#1d70b8",
    adult_of_concern: "#d4351c",
    person: "#505a5f",
    place: "#00703c",
    phone: "#4c2c92",
    email: "#4c2c92",
    account: "#4c2c92",
    vehicle: "#f47738",
    organisation: "#912b88",
    intelligence: "#0b0c0c",
  };

  function colour(node) {
    if (node.data("kind") === "person") {
      return COLOURS[node.data("person_kind")] || COLOURS.person;
    }
    return COLOURS[node.data("kind")] || "#505a5f";
  }

  var cy = window.cytoscape({
    container: container,
    elements: [],
    minZoom: 0.2,
    maxZoom: 3,
    style: [
      {
        selector: "node",
        style: {
          "background-color": colour,
          label: "data(label)",
          "font-size": 11,
          "text-valign": "bottom",
          "text-margin-y": 4,
          "text-wrap": "wrap",
          "text-max-width": 120,
          width: 28,
          height: 28,
          shape: "ellipse",
        },
      },
      { selector: 'node[kind = "place"]', style: { shape: "round-rectangle" } },
      { selector: 'node[kind = "intelligence"]', style: { shape: "rectangle" } },
      {
        selector: 'node[kind = "phone"], node[kind = "email"], node[kind = "account"], node[kind = "vehicle"]',
        style: { shape: "diamond", width: 22, height: 22 },
      },
      { selector: 'node[kind = "organisation"]', style: { shape: "hexagon" } },
      { selector: "node[?suspected_fake]", style: { "border-width": 3, "border-color": "#d4351c", "border-style": "dashed" } },
      { selector: "node.expanded", style: { "border-width": 3, "border-color": "#0b0c0c" } },
      { selector: "node[?alert_count]", style: { "border-width": 5, "border-color": "#d4351c", "border-style": "double" } },
      { selector: "node.root", style: { width: 40, height: 40 } },
      {
        selector: "edge",
        style: {
          width: 2,
          "line-color": "#8a9197",
          "target-arrow-color": "#8a9197",
          "target-arrow-shape": "triangle",
          "curve-style": "bezier",
          label: "data(label)",
          "font-size": 9,
          "text-rotation": "autorotate",
          "text-background-color": "#ffffff",
          "text-background-opacity": 1,
        },
      },
      { selector: 'edge[link_type = "found_with"], edge[link_type = "with_while_missing"]', style: { "line-color": "#d4351c", "target-arrow-color": "#d4351c" } },
      { selector: "edge[?grading]", style: { "line-style": "dashed" } },
      { selector: ":selected", style: { "overlay-color": "#ffdd00", "overlay-opacity": 0.4 } },
      { selector: ".filtered", style: { display: "none" } },
    ],
  });

  function say(text) {
    statusLine.textContent = text;
  }

  function selectedTypes() {
    var boxes = filters.querySelectorAll('input[name="types"]');
    var types = [];
    boxes.forEach(function (box) {
      if (box.checked) {
        types.push(box.value);
      }
    });
    return { all: types.length === boxes.length, types: types };
  }

  function dateRange() {
    return {
      from: filters.querySelector('input[name="date_from"]').value || null,
      to: filters.querySelector('input[name="date_to"]').value || null,
    };
  }

  function queryString() {
    var params = new URLSearchParams();
    var chosen = selectedTypes();
    if (!chosen.all) {
      chosen.types.forEach(function (t) {
        params.append("types", t);
      });
    }
    var range = dateRange();
    if (range.from) params.set("date_from", range.from);
    if (range.to) params.set("date_to", range.to);
    return params.toString();
  }

  // A link is in range if it was current at some time in [from, to]: no end date means ongoing.
  function edgeInRange(edge, range) {
    var start = edge.data("start_date");
    var end = edge.data("end_date");
    if (range.to && start && start > range.to) return false;
    if (range.from && end && end < range.from) return false;
    return true;
  }

  function applyFilters() {
    var chosen = selectedTypes();
    var range = dateRange();
    cy.batch(function () {
      cy.edges().forEach(function (edge) {
        var keep = chosen.types.indexOf(edge.data("link_type")) !== -1 && edgeInRange(edge, range);
        edge.toggleClass("filtered", !keep);
      });
      cy.nodes().forEach(function (node) {
        var shown = node.id() === rootId || node.connectedEdges().filter(":visible").length > 0;
        node.toggleClass("filtered", !shown);
      });
    });
    renderList();
  }

  function layout() {
    cy.layout({ name: "cose", animate: false, fit: true, padding: 30, nodeDimensionsIncludeLabels: true }).run();
  }

  function nodeAdd(data) {
    data.alert_count = (data.alerts || []).length;
    var existing = cy.getElementById(data.id);
    if (existing.length === 0) {
      cy.add({ group: "nodes", data: data });
    } else if (data.alert_count) {
      existing.data({ alerts: data.alerts, alert_count: data.alert_count });
    }
  }

  function edgeAdd(data) {
    if (cy.getElementById(data.id).length === 0) {
      cy.add({ group: "edges", data: data });
    }
  }

  function expand(nodeId) {
    var parts = nodeId.split(":");
    var url = base + encodeURIComponent(parts[0]) + "/" + encodeURIComponent(parts[1]) + "/";
    var qs = queryString();
    say("Loading links…");
    return fetch(qs ? url + "?" + qs : url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status === 404 ? "not found" : "error " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        cy.batch(function () {
          data.nodes.forEach(nodeAdd);
          data.edges.forEach(edgeAdd);
        });
        expanded.add(nodeId);
        cy.getElementById(nodeId).addClass("expanded");
        cy.getElementById(rootId).addClass("root");
        applyFilters();
        layout();
        say(
          "Drawn: " + cy.nodes(":visible").length + " nodes and " + cy.edges(":visible").length + " links." +
            (data.truncated ? " Only the most recent links of this node are drawn." : "")
        );
      })
      .catch(function (error) {
        say("The links could not be loaded (" + error.message + ").");
      });
  }

  function element(tag, text, className) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) el.textContent = text;
    if (className) el.className = className;
    return el;
  }

  function link(href, text) {
    var a = element("a", text, "govuk-link");
    a.href = href;
    return a;
  }

  function row(list, key, value) {
    var div = element("div", null, "govuk-summary-list__row");
    div.appendChild(element("dt", key, "govuk-summary-list__key"));
    var dd = element("dd", null, "govuk-summary-list__value");
    if (value instanceof Node) {
      dd.appendChild(value);
    } else {
      dd.textContent = value;
    }
    div.appendChild(dd);
    list.appendChild(div);
  }

  function labelOf(id) {
    var node = cy.getElementById(id);
    return node.length ? node.data("label") : "";
  }

  function showEdge(data) {
    details.replaceChildren();
    details.appendChild(element("h2", data.label, "govuk-heading-s"));
    var list = element("dl", null, "govuk-summary-list govuk-summary-list--no-border");
    row(list, "From", labelOf(data.source));
    row(list, "To", labelOf(data.target));
    var dates = data.start_date ? data.start_date + (data.end_date && data.end_date !== data.start_date ? " to " + data.end_date : "") : "Not dated";
    row(list, "Dates", dates);
    row(list, "Where it came from", data.provenance_url ? link(data.provenance_url, data.provenance) : data.provenance);
    if (data.grading) row(list, "Grading", data.grading + " (" + data.grading_system + ")");
    row(list, "Recorded", data.automatic ? "Automatically, from the record" : "By hand");
    details.appendChild(list);
  }

  function expandButton(id, label) {
    var button = element("button", expanded.has(id) ? "Expanded" : "Expand", "govuk-button govuk-button--secondary govuk-!-margin-bottom-0");
    button.type = "button";
    button.disabled = expanded.has(id);
    button.setAttribute("aria-label", "Expand " + label);
    button.addEventListener("click", function () {
      expand(id);
    });
    return button;
  }

  function showNode(data) {
    details.replaceChildren();
    details.appendChild(element("h2", data.label, "govuk-heading-s"));
    var list = element("dl", null, "govuk-summary-list govuk-summary-list--no-border");
    row(list, "Kind", data.kind_label);
    if (data.suspected_fake) row(list, "Warning", "Suspected fake account");
    (data.alerts || []).forEach(function (alert) {
      row(list, "Alert", alert);
    });
    if (data.url) row(list, "Record", link(data.url, "Open " + data.label));
    details.appendChild(list);
    details.appendChild(expandButton(data.id, data.label));
  }

  function renderList() {
    nodeList.replaceChildren();
    cy.nodes(":visible")
      .sort(function (a, b) {
        return a.data("label").localeCompare(b.data("label"));
      })
      .forEach(function (node) {
        var data = node.data();
        var item = element("li");
        item.setAttribute("data-node-id", data.id);
        item.appendChild(data.url ? link(data.url, data.label) : element("span", data.label));
        item.appendChild(document.createTextNode(" (" + data.kind_label + ", " + node.connectedEdges(":visible").length + " links) "));
        (data.alerts || []).forEach(function (alert) {
          item.appendChild(element("strong", alert, "govuk-tag govuk-tag--red"));
          item.appendChild(document.createTextNode(" "));
        });
        item.appendChild(expandButton(data.id, data.label));
        nodeList.appendChild(item);
      });
  }

  function exportPng() {
    var blob = cy.png({ output: "blob", full: true, scale: 2, bg: "#ffffff" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "harbour-link-chart.png";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () {
      URL.revokeObjectURL(a.href);
    }, 1000);
    // The export is audited: tell the server what was on the image.
    var body = new FormData(auditForm);
    cy.nodes(":visible").forEach(function (node) {
      body.append("nodes", node.id());
    });
    fetch(auditForm.action, { method: "POST", body: body, credentials: "same-origin" }).then(function () {
      say("Exported as an image. The export is recorded in the audit log.");
    });
  }

  cy.on("tap", "edge", function (event) {
    showEdge(event.target.data());
  });
  cy.on("tap", "node", function (event) {
    showNode(event.target.data());
  });
  cy.on("dbltap", "node", function (event) {
    expand(event.target.id());
  });
  // New filters: hide what no longer matches at once, then ask again for each expanded node, as
  // the server draws at most a few hundred links per node and the filter may bring others in.
  filters.addEventListener("submit", function (event) {
    event.preventDefault();
    applyFilters();
    Promise.all(Array.from(expanded).map(expand)).then(layout);
  });
  exportButton.addEventListener("click", exportPng);

  expand(rootId);
})();
