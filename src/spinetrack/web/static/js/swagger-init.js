// Starts Swagger UI on the API docs page; kept out of the HTML so the page needs no inline script.
(function () {
  var root = document.getElementById("swagger-ui");
  if (!root || !window.SwaggerUIBundle) { return; }
  window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false
  });
})();
