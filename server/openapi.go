package server

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// openAPISpec is the OpenAPI 3 description served at
// /api/v1/openapi.json. It is written by hand, next to the handlers it
// describes; TestOpenAPIMatchesRoutes checks that every documented route
// answers, every route is documented and the search parameters agree,
// and TestOpenAPILintRules the rules of redocly's default ruleset that
// it once broke.
//
//go:embed openapi.json
var openAPISpec []byte

// The parts of the OpenAPI document the reference page shows. Maps of
// the document (paths, responses, properties) keep the document's order
// through orderedKeys, since readers expect the order it was written in.
type (
	apiDoc struct {
		Info struct {
			Title, Version, Description string
			License                     struct{ Name, URL string }
		} `json:"info"`
		Servers []struct {
			URL, Description string
		} `json:"servers"`
		Paths      map[string]map[string]apiOperation `json:"paths"`
		Components struct {
			Responses map[string]apiResponse `json:"responses"`
			Schemas   map[string]apiSchema   `json:"schemas"`
		} `json:"components"`
	}
	apiOperation struct {
		OperationID string                     `json:"operationId"`
		Summary     string                     `json:"summary"`
		Description string                     `json:"description"`
		Parameters  []apiParameter             `json:"parameters"`
		Responses   map[string]json.RawMessage `json:"responses"`
	}
	apiParameter struct {
		Name, In, Description string
		Required              bool
		Schema                apiSchema
		Example               any
	}
	apiResponse struct {
		Ref         string                     `json:"$ref"`
		Description string                     `json:"description"`
		Content     map[string]json.RawMessage `json:"content"`
	}
	apiSchema struct {
		Ref         string               `json:"$ref"`
		Type        string               `json:"type"`
		Format      string               `json:"format"`
		Description string               `json:"description"`
		Enum        []any                `json:"enum"`
		Default     any                  `json:"default"`
		Items       *apiSchema           `json:"items"`
		Properties  map[string]apiSchema `json:"properties"`
		AllOf       []apiSchema          `json:"allOf"`
	}
)

// apiView is the reference page.
type apiView struct {
	Title, Version, Description, License string
	Servers                              []string
	Operations                           []operationView
	Schemas                              []schemaView
}

type operationView struct {
	Anchor, Method, Path, Summary, Description string
	Params                                     []paramView
	Responses                                  []responseView
}

type paramView struct {
	Name, In, Type, Description, Default, Example string
	Required                                      bool
}

type responseView struct {
	Code, Description string
	Types             []string // media types
}

type schemaView struct {
	Name, Description string
	Fields            []paramView // Name, Type, Description
}

// newAPIView reads the OpenAPI document into the page's view.
func newAPIView(spec []byte) (*apiView, error) {
	var doc apiDoc
	if err := json.Unmarshal(spec, &doc); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	var raw struct {
		Paths      json.RawMessage `json:"paths"`
		Components struct {
			Schemas json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(spec, &raw); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	v := &apiView{Title: doc.Info.Title, Version: doc.Info.Version, Description: doc.Info.Description, License: doc.Info.License.Name}
	for _, s := range doc.Servers {
		v.Servers = append(v.Servers, s.URL+" — "+s.Description)
	}
	paths, err := orderedKeys(raw.Paths)
	if err != nil {
		return nil, err
	}
	for _, p := range paths {
		for _, m := range sortedKeys(doc.Paths[p]) {
			v.Operations = append(v.Operations, operationOf(&doc, m, p, doc.Paths[p][m]))
		}
	}
	names, err := orderedKeys(raw.Components.Schemas)
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		v.Schemas = append(v.Schemas, schemaOf(n, doc.Components.Schemas[n]))
	}
	return v, nil
}

func operationOf(doc *apiDoc, method, path string, op apiOperation) operationView {
	ov := operationView{
		Anchor: op.OperationID, Method: strings.ToUpper(method), Path: path,
		Summary: op.Summary, Description: op.Description,
	}
	for _, p := range op.Parameters {
		ov.Params = append(ov.Params, paramView{
			Name: p.Name, In: p.In, Required: p.Required, Type: typeOf(p.Schema), Description: p.Description,
			Default: valueText(p.Schema.Default), Example: valueText(p.Example),
		})
	}
	for _, code := range sortedKeys(op.Responses) {
		var r apiResponse
		_ = json.Unmarshal(op.Responses[code], &r) // checked by the tests
		if name, ok := strings.CutPrefix(r.Ref, "#/components/responses/"); ok {
			r = doc.Components.Responses[name]
		}
		ov.Responses = append(ov.Responses, responseView{Code: code, Description: r.Description, Types: sortedKeys(r.Content)})
	}
	return ov
}

func schemaOf(name string, s apiSchema) schemaView {
	sv := schemaView{Name: name, Description: s.Description}
	props := s.Properties
	for _, part := range s.AllOf {
		if part.Ref != "" {
			sv.Fields = append(sv.Fields, paramView{Name: "…", Type: typeOf(part), Description: "every field of " + typeOf(part)})
		}
		if props == nil {
			props = part.Properties
		}
	}
	for _, k := range sortedKeys(props) {
		p := props[k]
		sv.Fields = append(sv.Fields, paramView{Name: k, Type: typeOf(p), Description: p.Description})
	}
	return sv
}

// typeOf names a schema's type as the page shows it: a referenced
// schema's name, "array of …", an enumeration's values.
func typeOf(s apiSchema) string {
	switch {
	case s.Ref != "":
		return strings.TrimPrefix(s.Ref, "#/components/schemas/")
	case s.Type == "array" && s.Items != nil:
		return "array of " + typeOf(*s.Items)
	case len(s.Enum) > 0:
		vals := make([]string, len(s.Enum))
		for i, e := range s.Enum {
			vals[i] = valueText(e)
		}
		return s.Type + ": " + strings.Join(vals, " | ")
	case s.Format != "":
		return s.Type + " (" + s.Format + ")"
	}
	return s.Type
}

func valueText(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// orderedKeys lists the keys of a JSON object in the order written.
func orderedKeys(obj json.RawMessage) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("openapi.json: want an object (%v)", err)
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("openapi.json: %w", err)
		}
		keys = append(keys, t.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, fmt.Errorf("openapi.json: %w", err)
		}
	}
	return keys, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(openAPISpec)
}

// handleAPIPage is the API reference, rendered from the OpenAPI
// document: no script, so the pages' CSP holds.
func (s *Server) handleAPIPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "api", s.apiView)
}
