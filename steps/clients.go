package steps

import (
	"fmt"
	"strings"
)

// Client is a client application that may be preauthorized for the scope.
type Client struct {
	Key   string // the name used with --preauthorize
	AppID string
	Name  string // Microsoft's display name
	Where string // where Power Query uses it
}

// The Power Query client applications, from the quickstart's table and the
// Power Query SDK's connector-authentication page.
var (
	ClientExcel = Client{Key: "excel", AppID: "a672d62c-fc7b-4e81-a576-e60dc46e951d",
		Name: "Power Query for Excel", Where: "desktop: Power BI Desktop, Excel, on-premises data gateway"}
	ClientRefresh = Client{Key: "refresh", AppID: "b52893c8-bc2e-47fc-918b-77022b299bbc",
		Name: "Power BI Data Refresh", Where: "service: scheduled refresh in the Power BI service"}
	ClientPowerApps = Client{Key: "powerapps", AppID: "7ab7862c-4c57-491e-8a45-d52a7e023983",
		Name: "Power Apps and Power Automate", Where: "Power Apps and Power Automate (optional)"}
)

// KnownClients lists the named clients in the order they are offered.
var KnownClients = []Client{ClientExcel, ClientRefresh, ClientPowerApps}

// DefaultClients are preauthorized unless the user says otherwise: the two
// the quickstart requires.
func DefaultClients() []string { return []string{ClientExcel.AppID, ClientRefresh.AppID} }

// KnownClientByAppID returns the named client with that appId, if any.
func KnownClientByAppID(appID string) (Client, bool) {
	for _, c := range KnownClients {
		if equalFoldGUID(c.AppID, appID) {
			return c, true
		}
	}
	return Client{}, false
}

// ParseClientKeys turns "excel,refresh,powerapps" into appIds.
func ParseClientKeys(list []string) ([]string, error) {
	var ids []string
	for _, raw := range list {
		for _, k := range strings.Split(raw, ",") {
			k = strings.ToLower(strings.TrimSpace(k))
			if k == "" {
				continue
			}
			found := false
			for _, c := range KnownClients {
				if c.Key == k {
					ids = appendUniqueGUID(ids, c.AppID)
					found = true
				}
			}
			if !found {
				return nil, inputErr(FieldClients, fmt.Errorf("unknown client %q: use excel, refresh or powerapps (e.g. excel,refresh), or give any other client by its app id", k))
			}
		}
	}
	return ids, nil
}

func appendUniqueGUID(list []string, id string) []string {
	for _, x := range list {
		if equalFoldGUID(x, id) {
			return list
		}
	}
	return append(list, strings.ToLower(id))
}
