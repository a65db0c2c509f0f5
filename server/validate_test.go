package server

import (
	"context"
	"html"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"baoscope/internal/validatetest"
	"baoscope/model"
)

// recordingService answers every search with nothing and remembers the
// query it was asked, so that a test sees what the server made of the
// parameters.
type recordingService struct {
	mu   sync.Mutex
	last *model.Query
}

func (s *recordingService) Search(_ context.Context, q model.Query) (*model.Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last = &q
	return &model.Result{Query: q.Text, QueryLang: model.LangUnknown}, nil
}

func (s *recordingService) Report(context.Context, string) (*model.Report, error) {
	return &model.Report{}, nil
}

func (s *recordingService) Stats(context.Context) (*model.Stats, error) { return &model.Stats{}, nil }

// take returns the query searched since the last take (nil: none).
func (s *recordingService) take() *model.Query {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.last
	s.last = nil
	return q
}

// TestSearchInputTable runs the validator's table through the API and
// through the search page: both refuse what it refuses, naming the same
// parameter, and search what it accepts with the very query the
// validator makes (the command runs the table too, in cmd/baoscope).
func TestSearchInputTable(t *testing.T) {
	svc := &recordingService{}
	_, ts := newTestServer(t, svc, Options{})
	for _, tt := range validatetest.Cases() {
		t.Run("api/"+tt.Name, func(t *testing.T) {
			resp := mustGet(t, ts.URL+"/api/v1/search?"+tt.Params.Encode())
			got := svc.take()
			if tt.Field != "" {
				body := decode[errorBody](t, resp)
				if resp.StatusCode != http.StatusBadRequest || body.Error.Code != "bad_parameter" || body.Error.Param != tt.Field {
					t.Errorf("status %d, error %+v; want 400 bad_parameter about %s", resp.StatusCode, body.Error, tt.Field)
				}
				if got != nil {
					t.Errorf("searched %+v despite the error", got)
				}
				return
			}
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if got == nil || !reflect.DeepEqual(*got, tt.Want) {
				t.Errorf("searched\n %+v\nwant\n %+v", got, tt.Want)
			}
		})
		t.Run("page/"+tt.Name, func(t *testing.T) {
			if tt.Field != "" {
				body := page(t, ts.URL, "/?"+tt.Params.Encode(), http.StatusBadRequest)
				if !strings.Contains(html.UnescapeString(body), "<strong>"+tt.Field+": ") {
					t.Errorf("the page does not name %s as the field to fix", tt.Field)
				}
				if got := svc.take(); got != nil {
					t.Errorf("searched %+v despite the error", got)
				}
				return
			}
			page(t, ts.URL, "/?"+tt.Params.Encode(), http.StatusOK)
			if got := svc.take(); got == nil || !reflect.DeepEqual(*got, tt.Want) {
				t.Errorf("searched\n %+v\nwant\n %+v", got, tt.Want)
			}
		})
	}
}
