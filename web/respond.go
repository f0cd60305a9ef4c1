package web

import (
	"encoding/json"
	"net/http"

	"github.com/outbound-oss/outbound"
)

// statusOf maps error codes to HTTP statuses; anything else is a 500.
var statusOf = map[string]int{
	outbound.EINVALID:       http.StatusBadRequest,
	outbound.ENOTFOUND:      http.StatusNotFound,
	outbound.ECONFLICT:      http.StatusConflict,
	outbound.EUNAUTHORIZED:  http.StatusUnauthorized,
	outbound.EFORBIDDEN:     http.StatusForbidden,
	outbound.ETOOLARGE:      http.StatusRequestEntityTooLarge,
	outbound.ERATELIMIT:     http.StatusTooManyRequests,
	outbound.EUNPROCESSABLE: http.StatusUnprocessableEntity,
}

// errorBody is the JSON of every error answer.
type errorBody struct {
	Error apiError `json:"error"`
}

type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

func toAPIError(err error) apiError {
	return apiError{Code: outbound.ErrorCode(err), Message: outbound.ErrorMessage(err), Field: outbound.ErrorField(err)}
}

// fail answers an error; internal errors are logged here, once.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, ok := statusOf[outbound.ErrorCode(err)]
	if !ok {
		status = http.StatusInternalServerError
		s.Logger.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeJSON(w, status, errorBody{toAPIError(err)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// list is the JSON of every list answer.
type list[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

func newList[T any](items []T, next string) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items, NextCursor: next}
}
