package server

import _ "embed"

// openAPISpec is the OpenAPI 3 description served at
// /api/v1/openapi.json. It is written by hand, next to the handlers it
// describes; TestOpenAPIMatchesRoutes checks that every documented route
// answers, every route is documented and the search parameters agree.
//
//go:embed openapi.json
var openAPISpec []byte
