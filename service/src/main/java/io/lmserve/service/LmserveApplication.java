package io.lmserve.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The lmserve HTTP service. Configuration comes from {@code config/} at the project root. */
@SpringBootApplication
public class LmserveApplication {

  public static void main(String[] args) {
    SpringApplication.run(LmserveApplication.class, args);
  }
}
