package dev.hearth.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Hearth's server: storage, the HTTP listener on 4040 and the gRPC listener on 4317. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HearthServerApplication {
  public static void main(String[] args) {
    SpringApplication.run(HearthServerApplication.class, args);
  }
}
