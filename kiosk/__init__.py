"""The hall kiosk application: configuration, services, citizen flows and the Qt Quick UI."""
