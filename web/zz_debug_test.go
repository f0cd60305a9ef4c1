package web_test

import (
	"fmt"
	"testing"

	"github.com/outbound-oss/outbound"
)

func TestZZSignIn(t *testing.T) {
	ctx := mustBrowser(t, 360, 740)
	s := mustSite(t)
	for i := range 8 {
		s.signIn(t, ctx, fmt.Sprintf("olga%d", i), outbound.Officer, "/capture", "2304")
		eval[any](t, ctx, `fetch('/api/v1/logout', {method: 'POST', headers: {'X-CSRF-Token': document.querySelector('meta[name=csrf-token]').content}})`)
	}
}
