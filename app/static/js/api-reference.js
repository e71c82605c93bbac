// The API reference page: Swagger UI on the OpenAPI document, everything from local files.
// Requests made with "Try it out" use the session, so writes carry the page's CSRF token.
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (!element || typeof SwaggerUIBundle === "undefined") {
    return;
  }
  SwaggerUIBundle({
    url: element.dataset.specUrl,
    domNode: element,
    deepLinking: true,
    validatorUrl: null,  // never ask a remote validator
    defaultModelsExpandDepth: 0,
    requestInterceptor: function (request) {
      request.headers["X-CSRFToken"] = element.dataset.csrfToken;
      return request;
    }
  });
})();
